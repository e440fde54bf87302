namespace Naeural.Actors.Capture;

/// <summary>
/// A data source names something this node's operator does not let tenants reach (a file outside the files root, a network
/// endpoint off the allow-lists). Thrown where the source opens or connects; the capture closes for good instead of retrying.
/// </summary>
public sealed class SourceRefusedException(string message) : Exception(message);
