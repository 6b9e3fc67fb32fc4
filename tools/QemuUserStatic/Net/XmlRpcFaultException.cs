using QemuUserStatic.Cli;

namespace QemuUserStatic.Net;

/// <summary>An XML-RPC fault answer: the server refused the call.</summary>
public sealed class XmlRpcFaultException(string method, long code, string fault, string endpoint)
    : UserException($"{endpoint}: {method}: fault {code}: {fault}")
{
    /// <summary>The fault code.</summary>
    public long Code { get; } = code;

    /// <summary>The fault string.</summary>
    public string Fault { get; } = fault;
}
