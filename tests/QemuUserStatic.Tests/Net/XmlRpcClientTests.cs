using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using QemuUserStatic.Cli;
using QemuUserStatic.Net;
using QemuUserStatic.Tests.Support;

namespace QemuUserStatic.Tests.Net;

[Category("Unit")]
public class XmlRpcClientTests
{
    private const string Answer = """
        <?xml version="1.0"?>
        <methodResponse><params><param><value><array><data>
          <value><struct>
            <member><name>id</name><value><int>2712345</int></value></member>
            <member><name>big</name><value><i8>9000000000</i8></value></member>
            <member><name>nvr</name><value><string>qemu-10.1.0-1.fc43</string></value></member>
            <member><name>plain</name><value>no type</value></member>
            <member><name>ok</name><value><boolean>1</boolean></value></member>
            <member><name>ratio</name><value><double>0.5</double></value></member>
            <member><name>when</name><value><dateTime.iso8601>20250102T03:04:05</dateTime.iso8601></value></member>
            <member><name>blob</name><value><base64>AAEC</base64></value></member>
            <member><name>none</name><value><nil/></value></member>
          </struct></value>
        </data></array></value></param></params></methodResponse>
        """;

    private const string Fault = """
        <?xml version="1.0"?>
        <methodResponse><fault><value><struct>
          <member><name>faultCode</name><value><int>1000</int></value></member>
          <member><name>faultString</name><value><string>No such build: qemu-0</string></value></member>
        </struct></value></fault></methodResponse>
        """;

    private static async Task<(LoopbackServer Server, List<string> Requests)> Serve(int status, string body)
    {
        var requests = new List<string>();
        var server = await LoopbackServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            requests.Add(await reader.ReadToEndAsync());
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync(body);
        });
        return (server, requests);
    }

    [Test]
    public async Task A_call_posts_the_encoded_parameters_and_decodes_every_value_type()
    {
        var (server, requests) = await Serve(200, Answer);
        await using var _ = server;
        using var http = new HttpClient();
        var client = new XmlRpcClient(http, new Uri(server.BaseAddress, "kojihub"));
        var options = new Dictionary<string, object?> { ["state"] = 1, ["nil"] = null };

        var result = await client.CallAsync("listBuilds", ["qemu", 7L, 9_000_000_000L, true, 1.25, new byte[] { 1, 2 }, options, new[] { "a", "b" }]);

        var call = XElement.Parse(requests.Single());
        Assert.That(call.Element("methodName")!.Value, Is.EqualTo("listBuilds"));
        var values = call.Element("params")!.Elements("param").Select(p => p.Element("value")!.Elements().Single()).ToList();
        Assert.That(values.Select(v => v.ToString(SaveOptions.DisableFormatting)), Is.EqualTo(new[]
        {
            "<string>qemu</string>", "<int>7</int>", "<i8>9000000000</i8>", "<boolean>1</boolean>", "<double>1.25</double>",
            "<base64>AQI=</base64>",
            "<struct><member><name>state</name><value><int>1</int></value></member><member><name>nil</name><value><nil /></value></member></struct>",
            "<array><data><value><string>a</string></value><value><string>b</string></value></data></array>",
        }));

        var build = (IReadOnlyDictionary<string, object?>)((IReadOnlyList<object?>)result!).Single()!;
        Assert.That(build["id"], Is.EqualTo(2712345L));
        Assert.That(build["big"], Is.EqualTo(9_000_000_000L));
        Assert.That(build["nvr"], Is.EqualTo("qemu-10.1.0-1.fc43"));
        Assert.That(build["plain"], Is.EqualTo("no type"));
        Assert.That(build["ok"], Is.EqualTo(true));
        Assert.That(build["ratio"], Is.EqualTo(0.5));
        Assert.That(build["when"], Is.EqualTo(new DateTime(2025, 1, 2, 3, 4, 5)));
        Assert.That(build["blob"], Is.EqualTo(new byte[] { 0, 1, 2 }));
        Assert.That(build["none"], Is.Null);
    }

    [Test]
    public async Task A_fault_is_a_user_error_with_its_code_and_string_and_no_query()
    {
        var (server, _) = await Serve(200, Fault);
        await using var _s = server;
        using var http = new HttpClient();
        var client = new XmlRpcClient(http, new Uri(server.BaseAddress, "kojihub?token=secret"));

        var ex = Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("getBuild", ["qemu-0"]));

        Assert.That(ex!.Code, Is.EqualTo(1000));
        Assert.That(ex.Fault, Is.EqualTo("No such build: qemu-0"));
        Assert.That(ex.Message, Is.EqualTo($"{server.BaseAddress}kojihub: getBuild: fault 1000: No such build: qemu-0"));
        Assert.That(ex, Is.InstanceOf<UserException>());
    }

    [TestCase(503, "busy", "HTTP 503 Service Unavailable")]
    [TestCase(200, "<html>not xml-rpc", "the answer is not XML-RPC")]
    [TestCase(200, "<methodResponse><params/></methodResponse>", "the answer has no value")]
    public async Task A_bad_answer_is_a_user_error_naming_the_endpoint_and_method(int status, string body, string problem)
    {
        var (server, _) = await Serve(status, body);
        await using var _s = server;
        using var http = new HttpClient();
        var client = new XmlRpcClient(http, new Uri(server.BaseAddress, "kojihub"));

        var ex = Assert.ThrowsAsync<UserException>(() => client.CallAsync("getBuild", []));

        Assert.That(ex!.Message, Does.StartWith($"{server.BaseAddress}kojihub: getBuild: {problem}"));
        Assert.That(ex.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public async Task A_server_that_is_gone_is_a_user_error()
    {
        var (server, _) = await Serve(200, Answer);
        var endpoint = new Uri(server.BaseAddress, "kojihub");
        await server.DisposeAsync();
        using var http = new HttpClient();

        var ex = Assert.ThrowsAsync<UserException>(() => new XmlRpcClient(http, endpoint).CallAsync("getBuild", []));

        Assert.That(ex!.Message, Does.StartWith($"{endpoint}: getBuild: "));
    }

    [Test]
    public void An_unknown_type_in_an_answer_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => XmlRpcClient.Decode(XElement.Parse("<value><bogus>1</bogus></value>")));
    }
}
