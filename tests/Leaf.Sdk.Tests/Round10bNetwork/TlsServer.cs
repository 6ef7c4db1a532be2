using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Leaf.Sdk.Tests.TestSupport;

namespace Leaf.Sdk.Tests.Round10bNetwork;

/// <summary>
/// A loopback HTTPS server on a free port: an SslStream over a TcpListener, with a certificate made in the test. It
/// answers every request on a connection with <c>answer</c> (HTTP/1.1, keep-alive) and counts handshakes started.
/// </summary>
internal sealed class TlsServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly string _answer;
    private int _connections;

    private readonly int _stalled;

    /// <param name="stalled">How many connections, the first ones, get no answer to their ClientHello at all.</param>
    public TlsServer(X509Certificate2 certificate, string answer, int stalled = 0)
    {
        _stalled = stalled;
        _certificate = certificate;
        _answer = answer;
        _listener.Start();
        _ = AcceptLoop.RunAsync(_listener, c => _ = ServeAsync(c), _stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri Url => new($"https://127.0.0.1:{Port}/");

    /// <summary>TCP connections accepted, each one a handshake started.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>A self-signed certificate for <paramref name="name"/>, valid from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static X509Certificate2 Certificate(string name, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(name, out var ip))
        {
            san.AddIpAddress(ip);
        }
        else
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var made = request.CreateSelfSigned(from, to);

        // SslStream on Linux needs the key in a form it can hand to OpenSSL: a round trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2 Valid(string name = "127.0.0.1") =>
        Certificate(name, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    private async Task ServeAsync(TcpClient connection)
    {
        if (Interlocked.Increment(ref _connections) <= _stalled)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The test ended.
            }

            connection.Dispose();
            return;
        }

        using (connection)
        {
            try
            {
                using var ssl = new SslStream(connection.GetStream());
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate, ApplicationProtocols = [SslApplicationProtocol.Http11] }, _stop.Token);
                var reader = new StreamReader(ssl, Encoding.ASCII);
                while (!_stop.IsCancellationRequested)
                {
                    string? line;
                    while (!string.IsNullOrEmpty(line = await reader.ReadLineAsync(_stop.Token)))
                    {
                    }

                    if (line is null)
                    {
                        return;
                    }

                    await ssl.WriteAsync(Encoding.ASCII.GetBytes(_answer), _stop.Token);
                    await ssl.FlushAsync(_stop.Token);
                }
            }
            catch (Exception)
            {
                // The client refused the certificate, or the test ended: nothing to answer.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Dispose();
        _certificate.Dispose();
        _stop.Dispose();
    }
}
