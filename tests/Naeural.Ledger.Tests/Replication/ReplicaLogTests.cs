using Naeural.Ledger.Replication;
using Xunit;

namespace Naeural.Ledger.Tests.Replication;

/// <summary>The rules a replica's log keeps, without a cluster.</summary>
public sealed class ReplicaLogTests
{
    private const string Pid = "ledger-gate";
    private const string Host = "0xHost";
    private const string Next = "0xNext";

    private static ReplicatedEntry Entry(long seq, long term, long prevTerm) => new(seq, term, prevTerm, 1, "", [(byte)seq], Host, "sig");

    [Fact]
    public void A_writer_of_an_older_term_is_refused_once_a_newer_one_is_followed()
    {
        var log = new InMemoryReplicaLog();
        Assert.NotNull(log.Promise(Pid, 2, Next));
        Assert.Null(log.Promise(Pid, 1, Host));
        Assert.Null(log.Promise(Pid, 2, Host)); // one writer per term
        Assert.IsType<AppendOutcome.Refused>(log.Append(Pid, 1, Host, 0, 0, 1, [Entry(1, 1, 0)]));
        Assert.Equal(0, log.Head(Pid).HighestSeq);
    }

    [Fact]
    public void An_append_after_an_entry_the_replica_lacks_is_answered_with_where_it_stands()
    {
        var log = new InMemoryReplicaLog();
        Assert.IsType<AppendOutcome.Appended>(log.Append(Pid, 1, Host, 0, 0, 1, [Entry(1, 1, 0)]));
        Assert.Equal(new AppendOutcome.Behind(1, 1), log.Append(Pid, 1, Host, 2, 1, 3, [Entry(3, 1, 1)]));
        Assert.Equal(new AppendOutcome.Behind(1, 1), log.Append(Pid, 1, Host, 1, 7, 2, [Entry(2, 1, 7)])); // the entry before differs
        Assert.Equal(1, log.Head(Pid).HighestSeq);
    }

    [Fact]
    public void A_newer_writer_replaces_entries_that_were_never_committed_and_cuts_what_lies_beyond_its_log()
    {
        var log = new InMemoryReplicaLog();
        log.Append(Pid, 1, Host, 0, 0, 3, [Entry(1, 1, 0), Entry(2, 1, 1), Entry(3, 1, 1)]);

        Assert.Equal(new AppendOutcome.Appended(2), log.Append(Pid, 2, Next, 1, 1, 2, [Entry(2, 2, 1)]));

        Assert.Equal([1L, 2L], log.Read(Pid, 1, long.MaxValue, 10).Select(e => e.Term));
        Assert.Equal(new ReplicaHead(2, Next, 2, 2), log.Head(Pid));
    }

    [Fact]
    public void A_repeated_append_of_the_same_term_changes_nothing()
    {
        var log = new InMemoryReplicaLog();
        log.Append(Pid, 1, Host, 0, 0, 3, [Entry(1, 1, 0), Entry(2, 1, 1), Entry(3, 1, 1)]);

        Assert.Equal(new AppendOutcome.Appended(3), log.Append(Pid, 1, Host, 0, 0, 1, [Entry(1, 1, 0)])); // late, or replayed

        Assert.Equal(3, log.Read(Pid, 1, long.MaxValue, 10).Count);
    }
}
