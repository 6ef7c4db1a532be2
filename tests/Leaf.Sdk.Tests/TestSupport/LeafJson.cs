namespace Leaf.Sdk.Tests.TestSupport;

/// <summary>Bodies from Leaf's public documentation, verbatim, and helpers to build more.</summary>
public static class LeafJson
{
    public const string UserId = "7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b";

    /// <summary>Leaf's documented success example (one John Deere summary, microsecond timestamp).</summary>
    public const string DocumentedExample = """
        {"message":"SUCCESS","summaries":[{"provider":"JohnDeere","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":12,"farms":12,"fields":100,"syncReferenceTime":"2023-08-30T18:39:33.230612Z"}]}
        """;

    /// <summary>A Climate FieldView summary: no growers key, as Leaf's own example shows.</summary>
    public const string ClimateWithoutGrowers = """
        {"message":"SUCCESS","summaries":[{"provider":"ClimateFieldView","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","farms":3,"fields":41,"syncReferenceTime":"2023-08-30T18:39:33.230612Z"}]}
        """;

    /// <summary>The shape before August 2023: a bare array, no envelope, no syncReferenceTime.</summary>
    public const string OlderBareArray = """
        [{"provider":"JohnDeere","leafUserId":"7b6e2c8a-3f0d-4c1e-9a5b-2d8f4e6a1c3b","growers":1,"farms":2,"fields":3}]
        """;

    /// <summary>A 401 problem body as Leaf sends it.</summary>
    public const string Unauthorized401 = """
        {"type":"https://www.jhipster.tech/problem/problem-with-message","title":"Unauthorized","status":401,"detail":"Full authentication is required to access this resource","path":"/services/integrations/api/resources","message":"error.http.401"}
        """;
}
