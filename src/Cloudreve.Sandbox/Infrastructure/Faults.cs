using Cloudreve.Sandbox.Hosting;

namespace Cloudreve.Sandbox;

/// <summary>The fault settings in force (replaced atomically by POST /_sandbox/faults).</summary>
internal sealed class Faults
{
    private FaultSettings _current;

    public Faults(FaultSettings initial) => _current = initial;

    public FaultSettings Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>True with the given probability.</summary>
    public static bool Roll(double rate) => rate > 0 && (rate >= 1 || Random.Shared.NextDouble() < rate);
}
