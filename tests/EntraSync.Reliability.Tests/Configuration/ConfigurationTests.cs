using EntraSync.Graph;
using EntraSync.Reliability.Tests.Support;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace EntraSync.Reliability.Tests.Configuration;

/// <summary>
/// Every option with an invalid value stops the host at start-up with a message that names the option (its
/// configuration path) and the fix; the checks that need the directory (connection, filter) fail the first run with
/// the option's name or Graph's own message.
/// </summary>
public sealed class ConfigurationTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> InvalidOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, expected, _) in Cases)
        {
            data.Add(name, expected);
        }

        return data;
    }

    private static readonly (string Name, string Expected, Action<Setup> Apply)[] Cases =
    [
        ("EntraSyncOptions.RunLeaseDuration", "EntraSync:RunLeaseDuration", s => s.Sync = o => o.RunLeaseDuration = TimeSpan.FromSeconds(1)),
        ("EntraSyncOptions.WriteBatchSize 0", "EntraSync:WriteBatchSize", s => s.Sync = o => o.WriteBatchSize = 0),
        ("EntraSyncOptions.WriteBatchSize too big", "EntraSync:WriteBatchSize", s => s.Sync = o => o.WriteBatchSize = 1_000_000),
        ("EntraSyncOptions.Tenants duplicate", "EntraSync:Tenants:1:TenantId \"contoso\" appears twice", s => s.Sync = o => o.Tenants.Add(new SyncProfile { TenantId = "contoso" })),
        ("SyncProfile.TenantId", "EntraSync:Tenants:0:TenantId is empty", s => s.Profile = p => p.TenantId = " "),
        ("SyncProfile.MaxUserOutcomesInReport", "EntraSync:Tenants:0:MaxUserOutcomesInReport", s => s.Profile = p => p.MaxUserOutcomesInReport = -1),
        ("SyncProfile.RunHistoryLength", "EntraSync:Tenants:0:RunHistoryLength", s => s.Profile = p => p.RunHistoryLength = 0),
        ("SyncProfile.MandatoryFields", "EntraSync:Tenants:0:MandatoryFields names \"Badge\"", s => s.Profile = p => p.MandatoryFields = ["Email", "Badge"]),
        ("Removal.Mode", "EntraSync:Tenants:0:Removal:Mode", s => s.Profile = p => p.Removal.Mode = (RemovalMode)42),
        ("Removal.RetentionPeriod", "EntraSync:Tenants:0:Removal:RetentionPeriod", s => s.Profile = p => p.Removal.RetentionPeriod = TimeSpan.FromDays(-1)),
        ("Removal.MaxRemovalsPerRun", "EntraSync:Tenants:0:Removal:MaxRemovalsPerRun", s => s.Profile = p => p.Removal.MaxRemovalsPerRun = -5),
        ("Removal.MaxRemovalPercentPerRun above 100", "EntraSync:Tenants:0:Removal:MaxRemovalPercentPerRun", s => s.Profile = p => p.Removal.MaxRemovalPercentPerRun = 150),
        ("Removal.MaxRemovalPercentPerRun NaN", "EntraSync:Tenants:0:Removal:MaxRemovalPercentPerRun", s => s.Profile = p => p.Removal.MaxRemovalPercentPerRun = double.NaN),
        ("Removal.PercentageGuardMinimum", "EntraSync:Tenants:0:Removal:PercentageGuardMinimum", s => s.Profile = p => p.Removal.PercentageGuardMinimum = -1),
        ("Removal.StagedRemovalsLifetime", "EntraSync:Tenants:0:Removal:StagedRemovalsLifetime", s => s.Profile = p => p.Removal.StagedRemovalsLifetime = TimeSpan.Zero),
        ("Schedule.Interval", "EntraSync:Tenants:0:Schedule:Interval", s => s.Profile = p => p.Schedule.Interval = TimeSpan.FromSeconds(30)),
        ("Schedule.FullSyncInterval", "EntraSync:Tenants:0:Schedule:FullSyncInterval", s => s.Profile = p => p.Schedule.FullSyncInterval = TimeSpan.FromHours(-1)),
        ("Photos.MaxConcurrentRequests 0", "EntraSync:Tenants:0:Photos:MaxConcurrentRequests", s => s.Profile = p => p.Photos.MaxConcurrentRequests = 0),
        ("Photos.MaxConcurrentRequests 17", "EntraSync:Tenants:0:Photos:MaxConcurrentRequests", s => s.Profile = p => p.Photos.MaxConcurrentRequests = 17),
        ("Fields.Fields name empty", "EntraSync:Tenants:0:Fields:Fields:16:Name is empty", s => s.Profile = p => p.Fields.Fields.Add(new FieldMapping { Source = "city" })),
        ("Fields.Fields name twice", "EntraSync:Tenants:0:Fields:Fields:16:Name \"City\" appears twice", s => s.Profile = p => p.Fields.Fields.Add(new FieldMapping { Name = "City", Source = "city" })),
        ("Fields.Fields source unknown", "EntraSync:Tenants:0:Fields:Fields:16:Source", s => s.Profile = p => p.Fields.Fields.Add(new FieldMapping { Name = "Shoe", Source = "shoeSize" })),
        ("Fields.Fields source and constant", "EntraSync:Tenants:0:Fields:Fields:16:Source", s => s.Profile = p => p.Fields.Fields.Add(new FieldMapping { Name = "Brand", Source = "city", Constant = "Contoso" })),
        ("Fields.Fields multi-value mode", "EntraSync:Tenants:0:Fields:Fields:4:MultiValue", s => s.Profile = p => p.Fields.Fields[4].MultiValue = (MultiValueMode)9),
        ("Fields.Fields transform", "EntraSync:Tenants:0:Fields:Fields:5:Transform", s => s.Profile = p => p.Fields.Fields[5].Transform = "reverse"),
        ("Filter.Groups rules empty", "EntraSync:Tenants:0:Filter:Groups:0:Rules is empty", s => s.Profile = p => p.Filter.Groups.Add(new FilterGroup())),
        ("Filter rule property", "EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Property", s => s.Profile = p => p.Filter.Groups.Add(Group(new FilterRule { Property = "", Value = "x" }))),
        ("Filter rule regex", "EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Value \"(unclosed\" is not a valid regular expression", s => s.Profile = p => p.Filter.Groups.Add(Group(new FilterRule { Property = "department", Operator = FilterOperator.MatchesRegex, Value = "(unclosed" }))),
        ("Filter rule comparison", "EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Value \"soon\" is neither a number nor a date", s => s.Profile = p => p.Filter.Groups.Add(Group(new FilterRule { Property = "createdDateTime", Operator = FilterOperator.GreaterThan, Value = "soon" }))),
        ("Filter rule operator", "EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Operator", s => s.Profile = p => p.Filter.Groups.Add(Group(new FilterRule { Property = "department", Operator = (FilterOperator)99, Value = "x" }))),
        ("Filter rule In without values", "EntraSync:Tenants:0:Filter:Groups:0:Rules:0:Values is empty", s => s.Profile = p => p.Filter.Groups.Add(Group(new FilterRule { Property = "department", Operator = FilterOperator.In }))),
        ("PeopleOnly pattern empty", "EntraSync:Tenants:0:Filter:PeopleOnly:ServiceAccountPatterns:0 is empty", s => s.Profile = p => p.Filter.PeopleOnly.ServiceAccountPatterns.Add(" ")),
        ("Matching same field twice", "EntraSync:Tenants:0:Matching:UserTypeField is Department, the same field as EntraSync:Tenants:0:Matching:UnitField", s => s.Profile = p =>
        {
            p.Matching.UnitField = MatchingField.Department;
            p.Matching.UserTypeField = MatchingField.Department;
            p.Matching.Units = ["Sales"];
        }),
        ("Matching one field only", "EntraSync:Tenants:0:Matching:UserTypeField is not set", s => s.Profile = p => p.Matching.UnitField = MatchingField.City),
        ("Matching no names", "EntraSync:Tenants:0:Matching matches units and user types, but there are no unit or user-type names", s => s.Profile = p =>
        {
            p.Matching.UnitField = MatchingField.City;
            p.Matching.UserTypeField = MatchingField.JobTitle;
        }),
        ("Scheduler.MaxConcurrentRuns", "EntraSync:Scheduler:MaxConcurrentRuns", s => s.Scheduler = o => o.MaxConcurrentRuns = 0),
        ("Scheduler.Jitter", "EntraSync:Scheduler:Jitter", s => s.Scheduler = o => o.Jitter = TimeSpan.FromMinutes(-1)),
        ("Scheduler.PollInterval", "EntraSync:Scheduler:PollInterval", s => s.Scheduler = o => o.PollInterval = TimeSpan.FromMilliseconds(10)),
        ("Scheduler.ProfileRefreshInterval", "EntraSync:Scheduler:ProfileRefreshInterval", s => s.Scheduler = o => o.ProfileRefreshInterval = TimeSpan.FromSeconds(5)),
        ("Scheduler.QuarantineAfterFailures", "EntraSync:Scheduler:QuarantineAfterFailures", s => s.Scheduler = o => o.QuarantineAfterFailures = 0),
        ("GraphSourceOptions.MaxRetries", "GraphSourceOptions.MaxRetries", s => s.Graph = o => o.MaxRetries = -1),
        ("GraphSourceOptions.MaxPageAttempts", "GraphSourceOptions.MaxPageAttempts", s => s.Graph = o => o.MaxPageAttempts = 0),
        ("GraphSourceOptions.RetryBaseDelay", "GraphSourceOptions.RetryBaseDelay", s => s.Graph = o => o.RetryBaseDelay = TimeSpan.Zero),
        ("GraphSourceOptions.MaxRetryDelay", "GraphSourceOptions.MaxRetryDelay", s => s.Graph = o => o.MaxRetryDelay = TimeSpan.FromSeconds(-1)),
        ("GraphSourceOptions.RequestTimeout", "GraphSourceOptions.RequestTimeout", s => s.Graph = o => o.RequestTimeout = TimeSpan.Zero),
        ("GraphSourceOptions.MaxPagesPerRead", "GraphSourceOptions.MaxPagesPerRead", s => s.Graph = o => o.MaxPagesPerRead = 0),
        ("GraphSourceOptions.MaxPageBytes", "GraphSourceOptions.MaxPageBytes", s => s.Graph = o => o.MaxPageBytes = 1000),
        ("GraphSourceOptions.MaxPhotoBytes", "GraphSourceOptions.MaxPhotoBytes", s => s.Graph = o => o.MaxPhotoBytes = -1),
        ("GraphSourceOptions.PhotoRequestsPerBatch", "GraphSourceOptions.PhotoRequestsPerBatch", s => s.Graph = o => o.PhotoRequestsPerBatch = 21),
        ("GraphSourceOptions.FullReadStrategy", "GraphSourceOptions.FullReadStrategy", s => s.Graph = o => o.FullReadStrategy = (GraphFullReadStrategy)7),
    ];

    [Fact]
    public async Task A_valid_configuration_starts()
    {
        using var host = Build(new Setup());
        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task An_invalid_option_stops_start_up_with_a_message_naming_it(string option, string expected)
    {
        var setup = new Setup();
        Cases.Single(c => c.Name == option).Apply(setup);
        using var host = Build(setup);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        output.WriteLine(error.Message);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Failures.Count(f => f.Contains(expected, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_option_section_is_covered_by_the_table()
    {
        // A new option must get a row: the table names at least one invalid value per settable option of these sections.
        var named = Cases.Select(c => c.Name).ToList();
        foreach (var property in new[] { "RunLeaseDuration", "WriteBatchSize", "Tenants" })
        {
            Assert.Contains(named, n => n.StartsWith("EntraSyncOptions." + property, StringComparison.Ordinal));
        }

        foreach (var property in typeof(EntraSyncSchedulerOptions).GetProperties().Where(p => p.PropertyType != typeof(bool)))
        {
            Assert.Contains(named, n => n.StartsWith("Scheduler." + property.Name, StringComparison.Ordinal));
        }

        foreach (var property in typeof(GraphSourceOptions).GetProperties().Where(p => p.PropertyType.IsValueType))
        {
            Assert.Contains(named, n => n.StartsWith("GraphSourceOptions." + property.Name, StringComparison.Ordinal));
        }

        foreach (var property in typeof(RemovalOptions).GetProperties().Where(p => p.PropertyType != typeof(bool)))
        {
            Assert.Contains(named, n => n.StartsWith("Removal." + property.Name, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("GraphBaseUrl", "Connection:GraphBaseUrl 'graph.example' is not an absolute http(s) URL")]
    [InlineData("AuthorityHost", "Connection:AuthorityHost 'login' is not an absolute URL")]
    [InlineData("ClientId", "Connection:TenantId and Connection:ClientId are required")]
    [InlineData("Credentials", "No credentials are configured: set Connection:ClientSecret")]
    public async Task A_connection_setting_that_cannot_work_fails_the_first_run_naming_it(string setting, string expected)
    {
        await using var stack = await FullStack.StartAsync(new StackOptions { Users = 3 });
        stack.AddProfile(configure: p =>
        {
            switch (setting)
            {
                case "GraphBaseUrl":
                    p.Connection.GraphBaseUrl = "graph.example";
                    break;
                case "AuthorityHost":
                    p.Connection.AccessToken = null;
                    p.Connection.ClientId = FullStack.ClientId;
                    p.Connection.ClientSecret = "s";
                    p.Connection.AuthorityHost = "login";
                    break;
                case "ClientId":
                    p.Connection.AccessToken = null;
                    p.Connection.ClientSecret = "s";
                    break;
                default:
                    p.Connection.AccessToken = null;
                    p.Connection.ClientId = FullStack.ClientId;
                    break;
            }
        });

        var report = await stack.RunAsync();

        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal(nameof(DirectoryErrorKind.Configuration), report.FailureKind);
        Assert.Contains(report.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(await stack.EmployeesAsync());
    }

    [Theory]
    [InlineData("department eq 'Sales' and shoeSize eq 42", "shoeSize")]
    [InlineData("department eq", "Invalid filter clause")]
    public async Task A_filter_Graph_rejects_gives_the_admin_Graphs_message_and_the_clause(string filter, string graphSays)
    {
        await using var stack = await FullStack.StartAsync(new StackOptions { Users = 10 });
        stack.AddProfile(configure: p => p.Scope.ODataFilter = filter);
        await stack.AddLocalEmployeeAsync("kept@host.example");

        var report = await stack.RunAsync(SyncMode.Full);

        output.WriteLine(string.Join(Environment.NewLine, report.Errors));
        Assert.Equal(SyncOutcome.Failed, report.Outcome);
        Assert.Equal(nameof(DirectoryErrorKind.InvalidQuery), report.FailureKind);
        var error = Assert.Single(report.Errors);
        Assert.Contains(graphSays, error, StringComparison.Ordinal);
        Assert.Contains(filter, error, StringComparison.Ordinal);
        Assert.Contains("Scope:ODataFilter", error, StringComparison.Ordinal);
        Assert.Single(await stack.EmployeesAsync());
    }

    private static FilterGroup Group(FilterRule rule) => new() { Rules = [rule] };

    private static IHost Build(Setup setup) => new HostBuilder()
        .ConfigureServices(services =>
        {
            services.AddDbContextFactory<ReliabilityDbContext>(o => new SqliteFile().Configure(o));
            services.AddEntraUserSync(o =>
                {
                    var profile = new SyncProfile { TenantId = "contoso" };
                    profile.Connection.AccessToken = "token";
                    setup.Profile?.Invoke(profile);
                    o.Tenants.Add(profile);
                    setup.Sync?.Invoke(o);
                })
                .AddEntityFrameworkCoreStore<ReliabilityDbContext>()
                .AddScheduler(o =>
                {
                    o.Enabled = false;
                    setup.Scheduler?.Invoke(o);
                });
            services.Configure<GraphSourceOptions>(o => setup.Graph?.Invoke(o));
        })
        .Build();

    private sealed class Setup
    {
        public Action<EntraSyncOptions>? Sync { get; set; }

        public Action<SyncProfile>? Profile { get; set; }

        public Action<EntraSyncSchedulerOptions>? Scheduler { get; set; }

        public Action<GraphSourceOptions>? Graph { get; set; }
    }
}
