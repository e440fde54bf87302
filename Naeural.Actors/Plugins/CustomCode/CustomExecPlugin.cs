using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Naeural.Actors.Capture;
using Naeural.Actors.Pipelines;

namespace Naeural.Actors.Plugins.CustomCode;

/// <summary>
/// <c>CUSTOM_EXEC</c>: the original's low-code plugin. Runs the owner's C# statements (<c>CODE</c> or <c>B64CODE</c>) once per
/// frame (once with <c>input</c> null on a scheduled call without data), sandboxed: compiled at deploy time against an
/// allow-list (<see cref="CustomCodeCompiler"/>), instrumented, run on the instance's own thread within
/// <c>MAX_EXEC_MS</c>/<c>MAX_ALLOC_MB</c> per process step, with <c>state</c> bounded by <c>MAX_STATE_KB</c>. A step that breaks
/// a bound throws <see cref="PluginFaultException"/> with <c>CUSTOM_CODE_VIOLATION</c>, one whose code throws reports
/// <c>PLUGIN_ERROR</c> with the code's line: either way the instance reports it, backs off, and keeps running.
/// </summary>
public sealed class CustomExecPlugin : IAsyncProcessPlugin
{
    public const string Signature = "CUSTOM_EXEC";
    public const string Description = "Runs the owner's C# statements (CODE / B64CODE) on each frame, sandboxed and bounded";

    private readonly CustomCodeCompiler _compiler;
    private CustomExecSettings? _settings;
    private Session? _session;
    private CustomCodeExecutor? _executor;

    public CustomExecPlugin(CustomCodeCompiler compiler) => _compiler = compiler;

    /// <summary>The catalogue entry; <paramref name="compiler"/> (and its cache) is shared by every instance made from it.</summary>
    public static PluginDescriptor Descriptor(CustomCodeCompiler compiler) =>
        new(Signature, Description, () => new CustomExecPlugin(compiler), config => CustomExecSettings.Validate(config, compiler));

    /// <summary>The loaded code's context, weakly (tests: it is collected after <see cref="Close"/>).</summary>
    public WeakReference? LoadContext => _session?.Lease.Context;

    public void Init(PluginContext context) => Start(context, keepState: false);

    public void OnConfigChanged(PluginContext context) => Start(context, keepState: true);

    /// <summary>Runs one step and blocks the caller until it is done (direct use; the instance uses <see cref="ProcessAsync"/>).</summary>
    public void Process(IReadOnlyList<Frame> frames, PluginContext context) => ProcessAsync(frames, context).GetAwaiter().GetResult()(context);

    public Task<Action<PluginContext>> ProcessAsync(IReadOnlyList<Frame> frames, PluginContext context)
    {
        var session = _session ?? throw new InvalidOperationException("CUSTOM_EXEC was not initialised");
        var settings = _settings!;
        var executor = _executor ??= new CustomCodeExecutor($"custom-code {context.PipelineName}/{context.InstanceId}", _compiler.Overruns, context.Owner);
        var overruns = _compiler.Overruns;
        if (overruns.RunningFor(context.Owner) is var own and >= OverrunSteps.PerOwnerMax)
        {
            throw Violation(settings, string.Create(CultureInfo.InvariantCulture,
                $"owner {context.Owner} already has {own} custom-code step{(own == 1 ? "" : "s")} that overran {(own == 1 ? "its" : "their")} bound and still {(own == 1 ? "runs" : "run")} (the per-owner quota is {OverrunSteps.PerOwnerMax}); none of its steps starts until {(own == 1 ? "it returns" : "they return")}"));
        }

        if (overruns.Exhausted)
        {
            throw Violation(settings, $"this node already has {overruns.Running} custom-code steps that overran their bound and still run; no step starts until they return");
        }

        if (executor.IsBusy)
        {
            throw Violation(settings, $"the step that overran MAX_EXEC_MS {settings.MaxExecMs} ms is still running (a long library call); no step starts until it returns");
        }

        Exception? failure = null;
        return executor.RunAsync(() => failure = session.RunStep(frames, settings), settings.HardLimit)
            .ContinueWith(run => (Action<PluginContext>)(target => Finish(run.Result, failure, session, settings, target)), TaskScheduler.Default);
    }

    /// <summary>On the instance's thread: the step's outputs go to the context, or its failure is thrown.</summary>
    private static void Finish(bool returned, Exception? failure, Session session, CustomExecSettings settings, PluginContext context)
    {
        if (!returned)
        {
            throw Violation(settings, string.Create(CultureInfo.InvariantCulture,
                $"exceeded MAX_EXEC_MS {settings.MaxExecMs} ms: the step did not return within {settings.HardLimit.TotalMilliseconds:0} ms (a long library call)"));
        }

        if (failure is not null)
        {
            throw Describe(failure, session, settings);
        }

        foreach (var payload in session.Api.Payloads)
        {
            context.Emit(payload);
        }

        foreach (var (code, message) in session.Api.Notifications)
        {
            context.Notify(code, message);
        }

        session.Api.Clear();
    }

    public void Close(PluginContext context)
    {
        _executor?.Dispose();
        _executor = null;
        _session?.Lease.Dispose();
        _session = null;
    }

    private void Start(PluginContext context, bool keepState)
    {
        var settings = CustomExecSettings.Read(context.Config)
                       ?? throw new PluginFaultException(NotificationCodes.PluginError, string.Join("; ", context.Config.Errors));
        var compiled = _compiler.Compile(settings.Code);
        if (!compiled.IsValid)
        {
            throw new PluginFaultException(NotificationCodes.PluginError, $"{settings.CodeKey}: {string.Join("; ", compiled.Errors)}");
        }

        var previous = _session;
        var busy = _executor?.IsBusy == true;
        if (busy)
        {
            _executor!.Dispose(); // its thread finishes the overrunning step with the old session, then ends
            _executor = null;
        }

        var state = keepState && !busy && previous is not null && previous.Hash == compiled.Hash ? previous.State : new JsonObject();
        var budget = new CustomCodeBudget();
        _session = new Session(_compiler.Loader.Acquire(compiled), compiled.Hash, budget,
            new CustomCodeApi(budget, context.Time, context.PipelineName, context.Signature, context.InstanceId),
            new CustomCodeConfig(JsonNode.Parse(context.Config.Raw.ToJsonString())!.AsObject()), state); // a parsed copy: every value reads as any number type
        _settings = settings;
        previous?.Lease.Dispose();
    }

    private static PluginFaultException Violation(CustomExecSettings settings, string what) =>
        new(NotificationCodes.CustomCodeViolation, char.IsAsciiDigit(what[0]) ? $"{settings.CodeKey} {what}" : $"{settings.CodeKey}: {what}");

    private static PluginFaultException Describe(Exception failure, Session session, CustomExecSettings settings) => failure switch
    {
        CustomCodeViolationException violation => Violation(settings, violation.Message),
        OutOfMemoryException => Violation(settings, $"ran out of memory (MAX_ALLOC_MB {settings.MaxAllocMb} MB)"),
        InsufficientExecutionStackException => Violation(settings, "recursion too deep (stack limit)"),
        _ => new PluginFaultException(NotificationCodes.PluginError,
            $"{settings.CodeKey}{Where(failure, session)}: {failure.GetType().Name}: {Truncated(failure.Message)}"),
    };

    /// <summary>An exception's message as far as a notification carries it (the code chooses the message: it may be huge).</summary>
    private static string Truncated(string message) => message.Length <= 500 ? message : message[..500] + "…";

    /// <summary>" line:column" of the innermost frame of the code in the exception's stack trace, mapped back to the code's own lines.</summary>
    private static string Where(Exception failure, Session session)
    {
        foreach (var frame in new StackTrace(failure, fNeedFileInfo: true).GetFrames())
        {
            if (frame.GetMethod()?.Module.Assembly == session.Lease.Assembly && frame.GetFileLineNumber() > 0)
            {
                var line = frame.GetFileLineNumber() - session.Lease.FirstLine + 1;
                var column = frame.GetFileColumnNumber() - (line == 1 ? 1 : 0);
                return string.Create(CultureInfo.InvariantCulture, $" {line}:{Math.Max(1, column)}");
            }
        }

        return "";
    }

    /// <summary>One loaded piece of code with what it runs with; replaced (not changed) when the code or config changes.</summary>
    private sealed class Session(CustomCodeLease lease, string hash, CustomCodeBudget budget, CustomCodeApi api, CustomCodeConfig config, JsonObject state)
    {
        public CustomCodeLease Lease { get; } = lease;

        public string Hash { get; } = hash;

        public CustomCodeApi Api { get; } = api;

        public JsonObject State { get; private set; } = state;

        /// <summary>Runs the code on each frame within the budget (on the executor's thread); the failure, if any.</summary>
        public Exception? RunStep(IReadOnlyList<Frame> frames, CustomExecSettings settings)
        {
            Api.Clear();
            budget.Start(settings.MaxExecMs, settings.MaxAllocMb);
            try
            {
                if (frames.Count == 0)
                {
                    RunOnce(null);
                }
                else
                {
                    foreach (var frame in frames)
                    {
                        RunOnce(new CustomCodeFrame(frame));
                    }
                }

                budget.CheckAfterStep();
                return budget.Violation is { } late ? new CustomCodeViolationException(late) : CheckOutputs(settings);
            }
            catch (Exception e)
            {
                // A failing step is bounded like any other: what it left in the state counts too.
                budget.CheckAfterStep();
                var state = CheckState(settings);
                return budget.Violation is { } violation ? new CustomCodeViolationException(violation) : state ?? e;
            }
        }

        private void RunOnce(CustomCodeFrame? input)
        {
            var result = Lease.Entry(input, State, config, Api, budget);
            Api.Calls++;
            if (result is not null)
            {
                Api.Emit(result);
            }
        }

        /// <summary>What stays (state) and what goes out (payloads) must be bounded and serializable.</summary>
        private CustomCodeViolationException? CheckOutputs(CustomExecSettings settings) => CheckState(settings) ?? CheckPayloads();

        private CustomCodeViolationException? CheckState(CustomExecSettings settings)
        {
            var stateLimit = settings.MaxStateKb * 1024L;
            var deep = false;
            if (State.Parent is not null || JsonSize.Measure(State, stateLimit, out deep) > stateLimit || deep)
            {
                var why = State.Parent is not null ? "state was put inside another JSON node"
                    : deep ? $"state is nested deeper than {JsonSize.MaxDepth} levels"
                    : $"state grew past MAX_STATE_KB {settings.MaxStateKb} KB";
                State = new JsonObject();
                return new CustomCodeViolationException($"{why} (state cleared)");
            }

            return null;
        }

        private CustomCodeViolationException? CheckPayloads()
        {
            long total = 0;
            foreach (var payload in Api.Payloads)
            {
                total += JsonSize.Measure(payload, CustomExecSettings.MaxPayloadBytesPerStep - total, out var payloadTooDeep);
                if (payloadTooDeep)
                {
                    return new CustomCodeViolationException($"a payload is nested deeper than {JsonSize.MaxDepth} levels");
                }

                if (total > CustomExecSettings.MaxPayloadBytesPerStep)
                {
                    return new CustomCodeViolationException($"the payloads of one step exceed {CustomExecSettings.MaxPayloadBytesPerStep / 1024} KB");
                }
            }

            // The measure above counts characters; what is persisted is their JSON, where escaping can make one character six bytes.
            long bytes = 0;
            foreach (var payload in Api.Payloads)
            {
                bytes += System.Text.Encoding.UTF8.GetByteCount(payload.ToJsonString());
                if (bytes > CustomExecSettings.MaxPayloadBytesPerStep)
                {
                    return new CustomCodeViolationException($"the payloads of one step exceed {CustomExecSettings.MaxPayloadBytesPerStep / 1024} KB as JSON");
                }
            }

            return null;
        }
    }
}
