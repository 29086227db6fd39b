namespace EntraSync.Graph.Internal;

/// <summary>What one read selects, filters and scopes, worked out once from the request and the profile.</summary>
internal sealed class ReadPlan
{
    private ReadPlan(
        string[] select,
        PropertySchema schema,
        string? filterText,
        ODataFilter? filter,
        string? advancedReason,
        string? deltaProblem,
        IReadOnlyList<string> scopeGroups,
        IReadOnlyList<string> memberOfGroups,
        bool transitive,
        bool readsManager)
    {
        ReadsManager = readsManager;
        DeltaSelect = readsManager ? [.. select, ManagerProperty] : select;
        Select = select;
        Schema = schema;
        FilterText = filterText;
        Filter = filter;
        AdvancedReason = advancedReason;
        DeltaProblem = deltaProblem;
        ScopeGroups = scopeGroups;
        MemberOfGroups = memberOfGroups;
        Transitive = transitive;
    }

    /// <summary>The manager: a navigation property, expanded on list reads and selected on delta (which then tracks it).</summary>
    public const string ManagerProperty = "manager";

    /// <summary>What a list read expands when a field reads the manager: only what the field map can use.</summary>
    public const string ManagerExpand = "manager($select=id,mail,displayName,userPrincipalName)";

    /// <summary>Gets the top-level properties for <c>$select</c> (always with <c>id</c>).</summary>
    public string[] Select { get; }

    /// <summary>Gets <see cref="Select"/> plus <c>manager</c> when the manager is read: delta tracks only what it selects.</summary>
    public string[] DeltaSelect { get; }

    /// <summary>Gets a value indicating whether a field reads the manager (<c>manager/...</c>).</summary>
    public bool ReadsManager { get; }

    /// <summary>Gets the <c>$expand</c> for list and single-user reads, or <see langword="null"/> when the manager is not read.</summary>
    public string[]? Expand => ReadsManager ? [ManagerExpand] : null;

    public PropertySchema Schema { get; }

    public string? FilterText { get; }

    /// <summary>Gets the parsed filter, or <see langword="null"/> when there is none or it could not be parsed here.</summary>
    public ODataFilter? Filter { get; }

    public string? AdvancedReason { get; }

    public bool Advanced => AdvancedReason is not null;

    /// <summary>Gets why delta cannot serve this scope (group scope, a filter not evaluable client-side), or <see langword="null"/>.</summary>
    public string? DeltaProblem { get; }

    public IReadOnlyList<string> ScopeGroups { get; }

    /// <summary>Gets the groups whose membership goes onto users as memberOf (empty when nobody asked for memberOf).</summary>
    public IReadOnlyList<string> MemberOfGroups { get; }

    public bool Transitive { get; }

    public static ReadPlan Create(DirectoryReadRequest request)
    {
        var profile = request.Context.Profile;
        var scope = profile.Scope;
        var wantsMemberOf = false;
        var readsManager = false;
        var names = new List<string>();
        var select = new List<string> { "id" };
        foreach (var property in request.Properties)
        {
            if (string.IsNullOrWhiteSpace(property))
            {
                continue;
            }

            var top = property.Split('/', 2)[0].Trim();
            if (string.Equals(top, DirectoryUser.MemberOfProperty, StringComparison.OrdinalIgnoreCase))
            {
                wantsMemberOf = true;
                names.Add(DirectoryUser.MemberOfProperty);
                continue;
            }

            names.Add(top);
            if (string.Equals(top, ManagerProperty, StringComparison.OrdinalIgnoreCase))
            {
                // Not a $select-able property of a list: expanded instead (and selected on delta, see DeltaSelect).
                readsManager = true;
                continue;
            }

            if (!select.Contains(top, StringComparer.OrdinalIgnoreCase))
            {
                select.Add(top);
            }
        }

        var filterText = string.IsNullOrWhiteSpace(scope.ODataFilter) ? null : scope.ODataFilter.Trim();
        ODataFilter? filter = null;
        string? deltaProblem = null;
        string? advanced = null;
        if (filterText is not null)
        {
            try
            {
                filter = ODataFilter.Parse(filterText);
                advanced = filter.AdvancedReason;
                deltaProblem = filter.ClientSideProblem is null ? null : $"the directory filter cannot be applied to delta results: {filter.ClientSideProblem}";
                foreach (var property in filter.Properties)
                {
                    if (!select.Contains(property, StringComparer.OrdinalIgnoreCase))
                    {
                        // The filter is evaluated on delta results, so they must carry what it reads.
                        select.Add(property);
                        names.Add(property);
                    }
                }
            }
            catch (FormatException ex)
            {
                advanced = ODataFilter.GetAdvancedReason(filterText);
                deltaProblem = $"the directory filter cannot be evaluated on delta results ({ex.Message})";
            }
        }

        var scopeGroups = Distinct(scope.GroupIds);
        if (scopeGroups.Count > 0)
        {
            deltaProblem = "Graph's user delta cannot be limited to groups, so group-scoped tenants are read in full each run";
        }

        var memberOf = wantsMemberOf ? Distinct(scope.GroupIds.Concat(scope.MemberOfGroupIds)) : [];
        return new ReadPlan([.. select], PropertySchema.Create(names), filterText, filter, advanced, deltaProblem, scopeGroups, memberOf, scope.IncludeNestedGroups, readsManager);
    }

    /// <summary>Gets why a user read by delta is out of scope, or <see langword="null"/> when it is in scope.</summary>
    public string? OutOfScopeReason(DirectoryUser user) =>
        Filter is null || Filter.Matches(user) ? null : $"no longer matches the directory filter (Scope:ODataFilter) {FilterText}";

    private static List<string> Distinct(IEnumerable<string> ids)
    {
        var list = new List<string>();
        foreach (var id in ids)
        {
            if (!string.IsNullOrWhiteSpace(id) && !list.Contains(id.Trim(), StringComparer.OrdinalIgnoreCase))
            {
                list.Add(id.Trim());
            }
        }

        return list;
    }
}
