using System.Text.Json;

namespace EntraSync.Testing.Emulator.Internal;

internal sealed partial class GraphRequestHandler
{
    private const string ReadMembers = "GroupMember.Read.All";
    private const string WriteMembers = "GroupMember.ReadWrite.All";
    private const string ReadOrganization = "Organization.Read.All";
    private const string ReadPhotos = "ProfilePhoto.Read.All";
    private const string WritePhotos = "ProfilePhoto.ReadWrite.All";
    private const string WriteUsers = "User.ReadWrite.All";

    private async Task OrganizationAsync(GraphCall call, string? id)
    {
        if (call.Denied(ReadOrganization))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        var tenant = call.Tenant;
        if (id is not null && !string.Equals(id, tenant.Id, StringComparison.OrdinalIgnoreCase))
        {
            await NotFoundAsync(call, id).ConfigureAwait(false);
            return;
        }

        using var buffer = new ResponseBuffer(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            if (id is null)
            {
                writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#organization");
                writer.WriteStartArray("value");
                WriteOrganization(writer, tenant);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#organization/$entity");
                WriteOrganizationProperties(writer, tenant);
                writer.WriteEndObject();
            }
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private static void WriteOrganization(Utf8JsonWriter writer, EmulatedTenant tenant)
    {
        writer.WriteStartObject();
        WriteOrganizationProperties(writer, tenant);
        writer.WriteEndObject();
    }

    private static void WriteOrganizationProperties(Utf8JsonWriter writer, EmulatedTenant tenant)
    {
        var org = tenant.Organization;
        writer.WriteString("id", tenant.Id);
        writer.WriteNull("deletedDateTime");
        writer.WriteStartArray("businessPhones");
        writer.WriteEndArray();
        writer.WriteString("city", org.City);
        writer.WriteNull("country");
        writer.WriteString("countryLetterCode", org.CountryLetterCode);
        writer.WriteString("createdDateTime", UserProperty.FormatDate(org.CreatedDateTime));
        writer.WriteNull("defaultUsageLocation");
        writer.WriteString("displayName", org.DisplayName);
        writer.WriteNull("isMultipleDataLocationsForServicesEnabled");
        writer.WriteStartArray("marketingNotificationEmails");
        writer.WriteEndArray();
        writer.WriteNull("onPremisesLastSyncDateTime");
        writer.WriteNull("onPremisesSyncEnabled");
        writer.WriteNull("partnerTenantType");
        writer.WriteNull("postalCode");
        writer.WriteString("preferredLanguage", org.PreferredLanguage);
        writer.WriteStartArray("securityComplianceNotificationMails");
        writer.WriteEndArray();
        writer.WriteStartArray("securityComplianceNotificationPhones");
        writer.WriteEndArray();
        writer.WriteNull("state");
        writer.WriteNull("street");
        writer.WriteStartArray("technicalNotificationMails");
        writer.WriteEndArray();
        writer.WriteString("tenantType", "AAD");
        writer.WriteStartArray("assignedPlans");
        writer.WriteEndArray();
        writer.WriteStartObject("privacyProfile");
        writer.WriteString("contactEmail", string.Empty);
        writer.WriteString("statementUrl", string.Empty);
        writer.WriteEndObject();
        writer.WriteStartArray("provisionedPlans");
        writer.WriteEndArray();
        writer.WriteStartArray("verifiedDomains");
        foreach (var domain in org.VerifiedDomains)
        {
            writer.WriteStartObject();
            writer.WriteString("capabilities", domain.Capabilities);
            writer.WriteBoolean("isDefault", domain.IsDefault);
            writer.WriteBoolean("isInitial", domain.IsInitial);
            writer.WriteString("name", domain.Name);
            writer.WriteString("type", domain.Type);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private async Task ListGroupsAsync(GraphCall call)
    {
        if (call.Denied("Group.Read.All"))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        var groups = call.Tenant.GetGroups();
        using var buffer = new ResponseBuffer();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#groups");
            writer.WriteStartArray("value");
            foreach (var group in groups)
            {
                WriteGroup(writer, group, null);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private async Task GetGroupAsync(GraphCall call, string id)
    {
        if (call.Denied("Group.Read.All"))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (call.Tenant.FindGroupSnapshot(id) is not { } group)
        {
            await NotFoundAsync(call, id).ConfigureAwait(false);
            return;
        }

        using var buffer = new ResponseBuffer();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#groups/$entity");
            WriteGroupProperties(writer, group);
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private static void WriteGroup(Utf8JsonWriter writer, EmulatedGroup group, string? odataType)
    {
        writer.WriteStartObject();
        if (odataType is not null)
        {
            writer.WriteString("@odata.type", odataType);
        }

        WriteGroupProperties(writer, group);
        writer.WriteEndObject();
    }

    private static void WriteGroupProperties(Utf8JsonWriter writer, EmulatedGroup group)
    {
        writer.WriteString("id", group.Id);
        writer.WriteNull("deletedDateTime");
        writer.WriteString("description", group.Description);
        writer.WriteString("displayName", group.DisplayName);
        writer.WriteStartArray("groupTypes");
        foreach (var type in group.GroupTypesOrNull ?? [])
        {
            writer.WriteStringValue(type);
        }

        writer.WriteEndArray();
        writer.WriteString("mail", group.Mail);
        writer.WriteBoolean("mailEnabled", group.MailEnabled);
        writer.WriteString("mailNickname", group.MailNickname);
        writer.WriteBoolean("securityEnabled", group.SecurityEnabled);
    }

    private async Task ListMembersAsync(GraphCall call, string groupId, bool transitive, string? cast)
    {
        if (call.Denied(ReadMembers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (cast is not null && !(call.Eventual && call.CountRequested))
        {
            throw new GraphQueryException(400, "Request_UnsupportedQuery", AdvancedQueryMessage("OData cast"));
        }

        var selectText = call.Query("select");
        var select = ParseSelect(selectText, list: true);
        var top = ParseTop(call.Query("top"));
        var filter = ParseListQuery(call, allowSearch: cast == "microsoft.graph.user");
        var members = call.Tenant.GetMembers(groupId, transitive);
        if (members is null)
        {
            await NotFoundAsync(call, groupId).ConfigureAwait(false);
            return;
        }

        IEnumerable<MemberItem> query = members;
        if (cast == "microsoft.graph.user" || filter is not null)
        {
            query = query.Where(m => m.User is not null && (filter is null || filter.Matches(m.User)));
        }
        else if (cast == "microsoft.graph.group")
        {
            query = query.Where(m => m.Group is not null);
        }

        var matching = query.ToList();
        var position = 0;
        var skipToken = call.Query("skiptoken");
        if (skipToken is not null)
        {
            position = SkipToken.TryDecode(call.Tenant.Id, skipToken)
                ?? throw new GraphQueryException(400, "Request_BadRequest", "The specified page token value has expired and can no longer be included in your request.");
        }

        var page = matching.Skip(position).Take(top).ToList();
        var next = position + page.Count < matching.Count ? position + page.Count : (int?)null;
        using var buffer = new ResponseBuffer(Math.Max(16 * 1024, page.Count * 600));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            var context = cast switch
            {
                "microsoft.graph.user" => "#users" + (select is null ? string.Empty : "(" + SelectText(selectText!) + ")"),
                "microsoft.graph.group" => "#groups",
                _ => "#directoryObjects",
            };
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata" + context);
            if (call.Eventual && call.CountRequested && skipToken is null)
            {
                writer.WriteNumber("@odata.count", matching.Count);
            }

            if (next is { } n)
            {
                writer.WriteString("@odata.nextLink", NextLink(call, "/groups/" + Uri.EscapeDataString(groupId) + "/" + (transitive ? "transitiveMembers" : "members") + (cast is null ? string.Empty : "/" + cast), SkipToken.Encode(call.Tenant.Id, n)));
            }

            writer.WriteStartArray("value");
            var properties = select ?? UserCatalog.Default;
            var appendId = select is not null && !select.Contains(UserCatalog.Id);
            foreach (var member in page)
            {
                if (member.User is { } user)
                {
                    WriteUser(writer, user, properties, appendId, omitUnset: false, cast is null ? "#microsoft.graph.user" : null);
                }
                else
                {
                    WriteGroup(writer, member.Group!, cast is null ? "#microsoft.graph.group" : null);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private async Task AddMemberRefAsync(GraphCall call, string groupId)
    {
        if (call.Denied(WriteMembers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        using var doc = await JsonDocument.ParseAsync(call.Context.Request.Body, cancellationToken: call.Context.RequestAborted).ConfigureAwait(false);
        if (!doc.RootElement.TryGetProperty("@odata.id", out var idElement) || idElement.GetString() is not { } reference)
        {
            throw new GraphQueryException(400, "Request_BadRequest", "Invalid object identifier ''.");
        }

        var memberId = reference.TrimEnd('/').Split('/')[^1];
        if (call.Tenant.FindGroupSnapshot(groupId) is null)
        {
            await NotFoundAsync(call, groupId).ConfigureAwait(false);
            return;
        }

        bool added;
        try
        {
            added = call.Tenant.AddMember(groupId, memberId);
        }
        catch (KeyNotFoundException)
        {
            await NotFoundAsync(call, memberId).ConfigureAwait(false);
            return;
        }

        if (!added)
        {
            throw new GraphQueryException(400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.");
        }

        await call.SendAsync(204, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    private async Task RemoveMemberRefAsync(GraphCall call, string groupId, string memberId)
    {
        if (call.Denied(WriteMembers))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (!call.Tenant.RemoveMember(groupId, memberId))
        {
            await NotFoundAsync(call, memberId).ConfigureAwait(false);
            return;
        }

        await call.SendAsync(204, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    private async Task PhotoMetadataAsync(GraphCall call, string key)
    {
        if (call.Denied(ReadPhotos))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (call.Tenant.FindActiveSnapshot(key) is not { } user)
        {
            await NotFoundAsync(call, key).ConfigureAwait(false);
            return;
        }

        var photo = call.Tenant.GetPhoto(user.Id);
        if (photo is null && user.Mail is null)
        {
            // No mailbox: Exchange has nowhere to keep a photo.
            await ImageNotFoundAsync(call).ConfigureAwait(false);
            return;
        }

        using var buffer = new ResponseBuffer(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", call.ServiceRoot + "/$metadata#users('" + user.Id + "')/photo/$entity");
            writer.WriteString("@odata.id", call.ServiceRoot + "/users('" + user.Id + "@" + call.Tenant.Id + "')/photo");
            writer.WriteString("@odata.mediaContentType", photo?.ContentType ?? "image/gif");
            writer.WriteString("@odata.mediaEtag", photo?.ETag ?? string.Empty);
            var width = photo?.Width ?? 1;
            var height = photo?.Height ?? 1;
            writer.WriteString("id", width + "x" + height);
            writer.WriteNumber("width", width);
            writer.WriteNumber("height", height);
            writer.WriteEndObject();
        }

        await call.SendJsonAsync(200, buffer).ConfigureAwait(false);
    }

    private async Task PhotoValueAsync(GraphCall call, string key)
    {
        if (call.Denied(ReadPhotos))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (call.Tenant.FindActiveSnapshot(key) is not { } user)
        {
            await NotFoundAsync(call, key).ConfigureAwait(false);
            return;
        }

        if (call.Tenant.GetPhoto(user.Id) is not { } photo)
        {
            await ImageNotFoundAsync(call).ConfigureAwait(false);
            return;
        }

        call.Context.Response.Headers.ETag = photo.ETag;
        await call.SendAsync(200, photo.Bytes, photo.ContentType).ConfigureAwait(false);
    }

    private async Task PutPhotoAsync(GraphCall call, string key)
    {
        if (call.Denied(WritePhotos))
        {
            await call.ForbiddenAsync().ConfigureAwait(false);
            return;
        }

        if (call.Tenant.FindActiveSnapshot(key) is not { } user)
        {
            await NotFoundAsync(call, key).ConfigureAwait(false);
            return;
        }

        using var body = new MemoryStream();
        await call.Context.Request.Body.CopyToAsync(body, call.Context.RequestAborted).ConfigureAwait(false);
        if (body.Length == 0)
        {
            throw new GraphQueryException(400, "ErrorInvalidRequest", "The request body is empty.");
        }

        call.Tenant.SetPhoto(user.Id, body.ToArray());
        await call.SendAsync(200, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
    }

    private static Task ImageNotFoundAsync(GraphCall call) =>
        call.ErrorAsync(404, "ImageNotFound", "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.");
}
