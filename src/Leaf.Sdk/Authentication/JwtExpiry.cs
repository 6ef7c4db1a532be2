using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Leaf.Sdk.Authentication;

/// <summary>Reads the <c>exp</c> claim of a JWT's payload. No signature check: the SDK only needs to know when to renew.</summary>
internal static class JwtExpiry
{
    public static DateTimeOffset? Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length < 2 || parts[1].Length == 0)
        {
            return null;
        }

        var payload = parts[1];
        var buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, buffer, out _, out var written) != OperationStatus.Done)
            {
                return null;
            }

            var reader = new Utf8JsonReader(buffer.AsSpan(0, written));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isExp = reader.ValueTextEquals("exp"u8);
                reader.Read();
                // RFC 7519 NumericDate may carry a fraction; rounding down renews a little early, never late.
                // Any second up to DateTimeOffset's last (9999-12-31T23:59:59Z, 253402300799) is a readable
                // expiry; one under a second rounds down to the epoch, and is no expiry, as 0 is.
                if (isExp && reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var seconds) &&
                    seconds >= 1 && seconds < 253402300800)
                {
                    return DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds));
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
