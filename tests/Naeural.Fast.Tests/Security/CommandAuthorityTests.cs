using Naeural.Actors.Commands;
using Naeural.Actors.Security;
using Xunit;

namespace Naeural.Fast.Tests.Security;

public sealed class CommandAuthorityTests
{
    private const string Owner = "0xAbC0000000000000000000000000000000000001";
    private const string Operator = "0x00000000000000000000000000000000000000Fe";

    [Fact]
    public void The_owner_and_the_operator_may_command_a_pipeline_whatever_the_case_of_their_address()
    {
        Assert.Null(AccessRule.RefuseUnlessOwnerOrOperator(Owner.ToLowerInvariant(), Owner, "pipeline p1", Operator));
        Assert.Null(AccessRule.RefuseUnlessOwnerOrOperator(Operator.ToUpperInvariant().Replace("0X", "0x"), Owner, "pipeline p1", Operator));
    }

    [Theory]
    [InlineData("abc0000000000000000000000000000000000001")] // bare hex
    [InlineData(" 0xAbC0000000000000000000000000000000000001")]
    [InlineData("0xAbC0000000000000000000000000000000000001\n")]
    public void Another_spelling_of_the_owner_is_another_owner_so_no_account_gets_a_second_pipeline_id_or_quota(string spelling)
    {
        // The signer owns Owner; a command naming this spelling as its owner would open a second pipeline id, meter and quota.
        Assert.Equal(RejectionCodes.NotOwner, AccessRule.RefuseUnlessOwnerOrOperator(Owner, spelling, "pipeline p1", Operator)?.Code);
        Assert.False(AccessRule.Admits(secured: true, [Owner], Operator, spelling));
    }

    [Fact]
    public void A_stranger_is_refused_not_owner_and_a_job_admits_its_owner_only()
    {
        var stranger = AccessRule.RefuseUnlessOwnerOrOperator("0x9999999999999999999999999999999999999999", Owner, "pipeline p1", Operator);
        Assert.Equal(RejectionCodes.NotOwner, stranger?.Code);
        Assert.Contains("nor this node's operator", stranger!.Reason);

        var operatorOnJob = AccessRule.RefuseUnlessOwnerOrOperator(Operator, Owner, "job j1", operatorId: null);
        Assert.Equal(RejectionCodes.NotOwner, operatorOnJob?.Code);
        Assert.Null(AccessRule.RefuseUnlessOwnerOrOperator(Owner, Owner, "job j1", operatorId: null));
    }
}
