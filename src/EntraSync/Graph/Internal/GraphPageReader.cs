using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EntraSync.Graph.Internal;

/// <summary>One Graph collection page as read: users, removals, rejected records and the paging links.</summary>
internal sealed class GraphPage
{
    public List<DirectoryUser> Users { get; } = [];

    public List<DirectoryRemoval> Removed { get; } = [];

    public List<RejectedRecord> Rejected { get; } = [];

    public string? NextLink { get; set; }

    public string? DeltaLink { get; set; }

    public long? Count { get; set; }

    /// <summary>Gets or sets whether the page's <c>value</c> list was read (a page without one is not a page).</summary>
    public bool HasValue { get; set; }
}

/// <summary>
/// Reads Graph user collection pages (<c>/users</c>, <c>/users/delta</c>, group members) from the response stream as
/// it arrives, with <see cref="Utf8JsonReader"/> over a pooled buffer: each user is parsed once its object is complete
/// in the buffer, straight into <see cref="DirectoryUser"/>, without the SDK's typed models. One reader serves one
/// directory read (its pages share the property schema and the value cache); it is not thread-safe.
/// </summary>
/// <remarks>
/// Only a well-formed page counts as a page: a JSON object whose <c>value</c> is a list of objects, each with an id,
/// and whose <c>@odata.context</c> (when present) names a collection of users or directory objects. Anything else
/// (no or a null <c>value</c>, an <c>error</c> member, an item that is not an object or has no id, a list of groups)
/// throws <see cref="GraphResponseException"/>: the caller asks again and then ends the read as incomplete, because
/// whoever was on such a page cannot be told apart from someone who left. A record with an id whose properties cannot
/// be read is rejected on its own (with its id, so it is not mistaken for a leaver).
/// </remarks>
internal sealed class GraphPageReader
{
    private const int InitialBufferSize = 64 * 1024;
    private const int MaxNameLength = 256;

    // A hostile record nested deeper than the reader allows would fail the whole page (and every later run), so the
    // reader allows far more depth than Graph ever sends; flattening stops at MaxFlattenDepth and rejects that record.
    private const int MaxJsonDepth = 1_024;
    private const int MaxFlattenDepth = 16;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxJsonDepth };

    // Collections of users as Graph names them in @odata.context: /users and its delta, and group members
    // (directoryObjects, or users when cast to microsoft.graph.user).
    private static readonly string[] UserCollections = ["users", "directoryObjects"];

    private readonly ValueCache _cache = new();
    private readonly List<string> _items = [];
    private readonly List<DirectoryValue> _itemStrings = [];
    private DirectoryValue?[] _scratch;

    public GraphPageReader(PropertySchema schema)
    {
        Schema = schema;
        _scratch = new DirectoryValue?[Math.Max(16, schema.Count * 2)];
    }

    private enum Phase
    {
        Start,
        Root,
        Values,
        End,
    }

    /// <summary>Gets or sets the configured groups each user belongs to (display names), put under memberOf when selected.</summary>
    public IReadOnlyDictionary<string, DirectoryValue>? MemberOf { get; set; }

    /// <summary>Gets or sets what to call as soon as a page's <c>@odata.nextLink</c> has been read, before the rest of the page.</summary>
    public Action<string>? NextLinkFound { get; set; }

    /// <summary>Gets or sets the entity sets a page's <c>@odata.context</c> may name; a page of anything else is refused.</summary>
    /// <value>The default is <c>users</c> and <c>directoryObjects</c> (users, their delta, and group members).</value>
    public IReadOnlyList<string> ExpectedCollections { get; init; } = UserCollections;

    /// <summary>Gets or sets the most bytes one page's body may have; a bigger one throws <see cref="GraphResponseTooLargeException"/>.</summary>
    public long MaxPageBytes { get; set; } = long.MaxValue;

    /// <summary>Gets the schema, which grows when flattened nested properties first appear.</summary>
    public PropertySchema Schema { get; private set; }

    /// <summary>Reads a whole page.</summary>
    /// <exception cref="GraphResponseException">The body is cut off or is not a Graph collection.</exception>
    public async ValueTask<GraphPage> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var page = new GraphPage();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        var start = 0;
        var end = 0;
        var final = false;
        var state = new JsonReaderState(ReaderOptions);
        var phase = Phase.Start;
        long total = 0;
        try
        {
            while (true)
            {
                if (!final)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        // One item larger than the buffer: grow it.
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        final = true;
                    }
                    else
                    {
                        end += read;
                        total += read;
                        if (total > MaxPageBytes)
                        {
                            throw new GraphResponseTooLargeException(MaxPageBytes);
                        }
                    }
                }

                try
                {
                    start += Parse(buffer.AsSpan(start, end - start), final, ref state, ref phase, page);
                }
                catch (JsonException ex)
                {
                    throw new GraphResponseException(final && total == 0 ? "the response body is empty" : final
                        ? "the response body ended in the middle of the JSON (cut off) or is not valid JSON"
                        : "the response body is not valid JSON: " + ex.Message, ex);
                }

                if (phase == Phase.End)
                {
                    return page;
                }

                if (final)
                {
                    throw new GraphResponseException(start == 0 && end == 0
                        ? "the response body is empty"
                        : "the response body ended in the middle of the JSON (cut off)");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a whole page from bytes already in memory (tests, fixtures).</summary>
    public GraphPage Read(ReadOnlySpan<byte> json)
    {
        var page = new GraphPage();
        var state = new JsonReaderState(ReaderOptions);
        var phase = Phase.Start;
        try
        {
            Parse(json, isFinal: true, ref state, ref phase, page);
        }
        catch (JsonException ex)
        {
            throw new GraphResponseException("the response body is not valid JSON: " + ex.Message, ex);
        }

        return phase == Phase.End ? page : throw new GraphResponseException(json.IsEmpty ? "the response body is empty" : "the response body ended in the middle of the JSON (cut off)");
    }

    /// <summary>Reads a single user entity (<c>GET /users/{id}</c>).</summary>
    public GraphPage ReadEntity(ReadOnlySpan<byte> json)
    {
        var page = new GraphPage();
        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(ReaderOptions));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new GraphResponseException("the response body is not a JSON object");
            }

            ReadItem(ref reader, page, isEntity: true);
        }
        catch (JsonException ex)
        {
            throw new GraphResponseException("the response body is not valid JSON: " + ex.Message, ex);
        }

        return page;
    }

    private static string TokenName(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "text",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "true or false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.StartObject => "an object",
        _ => type.ToString(),
    };

    /// <returns>The bytes consumed up to the end of the last complete unit (top-level member or user object).</returns>
    private int Parse(ReadOnlySpan<byte> data, bool isFinal, ref JsonReaderState state, ref Phase phase, GraphPage page)
    {
        var reader = new Utf8JsonReader(data, isFinal, state);
        var safe = reader;
        while (phase != Phase.End)
        {
            if (!reader.Read())
            {
                break;
            }

            if (phase == Phase.Start)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new GraphResponseException($"the response body is {TokenName(reader.TokenType)}, not a Graph collection object");
                }

                phase = Phase.Root;
            }
            else if (phase == Phase.Root)
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    phase = page.HasValue ? Phase.End : throw new GraphResponseException("the response has no \"value\" list of users (a Graph collection page always has one)");
                }
                else if (!ReadRootMember(ref reader, page, ref phase))
                {
                    break;
                }
            }
            else if (reader.TokenType == JsonTokenType.EndArray)
            {
                phase = Phase.Root;
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                var probe = reader;
                if (!probe.TrySkip())
                {
                    break;
                }

                var item = reader;
                try
                {
                    ReadItem(ref reader, page, isEntity: false);
                }
                catch (InvalidOperationException ex)
                {
                    // Text the reader cannot turn into a string (a lone UTF-16 surrogate such as \ud800, invalid
                    // UTF-8): skip this record, not the page, keeping its id so that it is not taken for a leaver.
                    // The probe stands on the record's end, as ReadItem would.
                    reader = probe;
                    var id = FindRawId(item) ?? throw new GraphResponseException("a record in the response has an id that is not valid text");
                    page.Rejected.Add(new RejectedRecord { Id = id, Reason = "the directory record holds text that is not valid Unicode (" + ex.Message + ")" });
                }
            }
            else
            {
                throw new GraphResponseException($"the response's \"value\" holds {TokenName(reader.TokenType)} where a user record was expected");
            }

            safe = reader;
        }

        state = safe.CurrentState;
        return (int)safe.BytesConsumed;
    }

    /// <returns><see langword="false"/> when the member is not complete in the buffer.</returns>
    private bool ReadRootMember(ref Utf8JsonReader reader, GraphPage page, ref Phase phase)
    {
        if (reader.ValueTextEquals("value"u8))
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                phase = Phase.Values;
                page.HasValue = true;
                return true;
            }

            throw new GraphResponseException($"the response's \"value\" is {TokenName(reader.TokenType)}, not a list of users");
        }

        if (reader.ValueTextEquals("error"u8))
        {
            // A gateway or Graph itself can put an error in a 200: it is not a page, whatever else it holds.
            var probe = reader;
            if (!probe.Read() || ((probe.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) && !probe.TrySkip()))
            {
                return false;
            }

            reader.Read();
            throw new GraphResponseException("the response is an error, not a page" + DescribeError(ref reader));
        }

        if (reader.ValueTextEquals("@odata.context"u8))
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.String && EntitySet(reader.GetString()) is { } set && !ExpectedCollections.Contains(set, StringComparer.Ordinal))
            {
                throw new GraphResponseException($"the response is a list of {set}, not of users");
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                return reader.TrySkip();
            }

            return true;
        }

        var isNext = reader.ValueTextEquals("@odata.nextLink"u8);
        var isDelta = !isNext && reader.ValueTextEquals("@odata.deltaLink"u8);
        var isCount = !isNext && !isDelta && reader.ValueTextEquals("@odata.count"u8);
        if (!reader.Read())
        {
            return false;
        }

        if ((isNext || isDelta) && reader.TokenType == JsonTokenType.String)
        {
            var link = reader.GetString();
            if (isNext)
            {
                page.NextLink = link;
                if (link is not null)
                {
                    NextLinkFound?.Invoke(link);
                }
            }
            else
            {
                page.DeltaLink = link;
            }
        }
        else if (isCount && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count))
        {
            page.Count = count;
        }
        else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            return reader.TrySkip();
        }

        return true;
    }

    /// <summary>Gets the entity set an <c>@odata.context</c> URL names (<c>users</c> in <c>.../$metadata#users(id)/delta</c>).</summary>
    internal static string? EntitySet(string? context)
    {
        var hash = context?.IndexOf('#', StringComparison.Ordinal) ?? -1;
        if (hash < 0)
        {
            return null;
        }

        var rest = context.AsSpan(hash + 1);
        var stop = rest.IndexOfAny('(', '/');
        return (stop < 0 ? rest : rest[..stop]).ToString();
    }

    /// <summary>The error's code and message, when the error member is an object that has them (the reader stands on its start).</summary>
    private static string DescribeError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "";
        }

        string? code = null;
        string? message = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            var isCode = reader.ValueTextEquals("code"u8);
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String && (isCode || isMessage))
            {
                var text = reader.GetString();
                text = text is { Length: > 200 } ? text[..200] + "..." : text;
                (code, message) = isCode ? (text, message) : (code, text);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return code is null && message is null ? "" : $" ({string.Join(": ", new[] { code, message }.Where(t => !string.IsNullOrWhiteSpace(t)))})";
    }

    /// <summary>The record's top-level id read without decoding the rest (for a record whose other text is not valid Unicode).</summary>
    private static string? FindRawId(Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                {
                    return null;
                }

                try
                {
                    var id = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(reader.ValueSpan);
                    return string.IsNullOrWhiteSpace(id) ? null : id;
                }
                catch (DecoderFallbackException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    /// <summary>Reads one complete item object; the reader ends on its EndObject.</summary>
    private void ReadItem(ref Utf8JsonReader reader, GraphPage page, bool isEntity)
    {
        var depth = reader.CurrentDepth;
        string? id = null;
        string? problem = null;
        string? removedReason = null;
        var removed = false;
        var isUser = true;
        var values = _scratch;
        Array.Clear(values);
        _itemStrings.Clear();
        Span<char> nameBuffer = stackalloc char[MaxNameLength];
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            var nameLength = DecodeName(ref reader, nameBuffer, out var heapName);
            ReadOnlySpan<char> name = heapName is null ? nameBuffer[..nameLength] : heapName.AsSpan();
            reader.Read();
            if (name.Equals("id", StringComparison.OrdinalIgnoreCase))
            {
                if (reader.TokenType == JsonTokenType.String)
                {
                    id = reader.GetString();
                }
                else
                {
                    problem ??= $"its id is {TokenName(reader.TokenType)}, not text";
                    SkipValue(ref reader);
                }
            }
            else if (name.Length > 0 && name[0] == '@')
            {
                if (name.Equals("@removed", StringComparison.Ordinal))
                {
                    removed = true;
                    removedReason = ReadRemovedReason(ref reader);
                }
                else if (name.Equals("@odata.type", StringComparison.Ordinal) && reader.TokenType == JsonTokenType.String)
                {
                    isUser = reader.ValueTextEquals("#microsoft.graph.user"u8);
                }
                else
                {
                    SkipValue(ref reader);
                }
            }
            else if (name.Contains('@'))
            {
                // Property annotations such as members@delta or manager@delta.
                SkipValue(ref reader);
            }
            else if (Schema.TryGetSlot(name, out var slot) || (Schema.AcceptsAll && AddName(name.ToString(), out slot)))
            {
                values = ReadValue(ref reader, Schema.Names[slot], slot, values, ref problem);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        _scratch = values;
        if (string.IsNullOrWhiteSpace(id))
        {
            // Whoever this is cannot be told apart from someone who left: the page is not a page.
            var label = Label(values);
            var what = removed ? "a removed user" : isUser ? (label is null ? "a user" : $"the user {label}") : "a member";
            throw new GraphResponseException(problem is not null && problem.StartsWith("its id", StringComparison.Ordinal)
                ? $"{(isEntity ? "the user" : $"{what} in the response")}: {problem}"
                : $"{(isEntity ? "the response's user" : $"{what} in the response")} has no id");
        }

        if (!isUser)
        {
            return;
        }

        if (removed)
        {
            page.Removed.Add(new DirectoryRemoval
            {
                Id = id,
                Reason = string.Equals(removedReason, "deleted", StringComparison.OrdinalIgnoreCase) ? DirectoryRemovalReason.Deleted : DirectoryRemovalReason.SoftDeleted,
            });

            return;
        }

        if (problem is not null)
        {
            page.Rejected.Add(new RejectedRecord { Id = id, Reason = "the directory record could not be read: " + problem });
            return;
        }

        if (MemberOf is not null && Schema.TryGetSlot(DirectoryUser.MemberOfProperty, out var memberOfSlot))
        {
            values = EnsureCapacity(values, memberOfSlot);
            values[memberOfSlot] = MemberOf.TryGetValue(id, out var groups) ? groups : _cache.EmptyList;
            _scratch = values;
        }

        var count = Schema.Count;
        var own = count == 0 ? [] : new DirectoryValue?[count];
        Array.Copy(values, own, count);
        page.Users.Add(new DirectoryUser { Id = id, Properties = new UserProperties(Schema, own) });
    }

    private string? Label(DirectoryValue?[] values)
    {
        foreach (var name in (ReadOnlySpan<string>)["displayName", "userPrincipalName", "mail"])
        {
            if (Schema.TryGetSlot(name, out var slot) && slot < values.Length && values[slot]?.AsString() is { Length: > 0 } text)
            {
                return $"'{text}'";
            }
        }

        return null;
    }

    /// <summary>Decodes a property name into the buffer (returns its length), or into <paramref name="heap"/> when escaped or long.</summary>
    private static int DecodeName(ref Utf8JsonReader reader, scoped Span<char> buffer, out string? heap)
    {
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > buffer.Length)
        {
            heap = reader.GetString() ?? "";
            return heap.Length;
        }

        heap = null;
        return Encoding.UTF8.GetChars(reader.ValueSpan, buffer);
    }

    private static string? ReadRemovedReason(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            SkipValue(ref reader);
            return null;
        }

        string? reason = null;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            var isReason = reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("reason"u8);
            reader.Read();
            if (isReason && reader.TokenType == JsonTokenType.String)
            {
                reason = reader.GetString();
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return reason;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            // The item is complete in the buffer (checked before reading it), so this always succeeds.
            reader.TrySkip();
        }
    }

    private bool AddName(string name, out int slot)
    {
        Schema = Schema.With(name, out slot);
        return true;
    }

    private DirectoryValue?[] EnsureCapacity(DirectoryValue?[] values, int slot)
    {
        if (slot < values.Length)
        {
            return values;
        }

        var bigger = new DirectoryValue?[Math.Max(slot + 1, values.Length * 2)];
        Array.Copy(values, bigger, values.Length);
        return bigger;
    }

    private DirectoryValue?[] ReadValue(ref Utf8JsonReader reader, string name, int slot, DirectoryValue?[] values, ref string? problem)
    {
        var kind = UserPropertyKinds.Get(name);
        var token = reader.TokenType;
        var fits = token switch
        {
            JsonTokenType.Null => true,
            JsonTokenType.String => kind is PropertyKind.Any or PropertyKind.Text,
            JsonTokenType.True or JsonTokenType.False => kind is PropertyKind.Any or PropertyKind.Boolean,
            JsonTokenType.Number => kind is PropertyKind.Any,
            JsonTokenType.StartArray => kind is PropertyKind.Any or PropertyKind.TextList or PropertyKind.ObjectList,
            JsonTokenType.StartObject => kind is PropertyKind.Any or PropertyKind.Object,
            _ => false,
        };
        if (!fits)
        {
            problem ??= $"'{name}' is {TokenName(token)} where Graph sends {UserPropertyKinds.Describe(kind)}";
            SkipValue(ref reader);
            return values;
        }

        values = EnsureCapacity(values, slot);
        switch (token)
        {
            case JsonTokenType.Null:
                values[slot] = DirectoryValue.Null;
                break;
            case JsonTokenType.String:
                var text = SameAsEarlier(ref reader) ?? _cache.GetString(slot, ref reader);
                _itemStrings.Add(text);
                values[slot] = text;
                break;
            case JsonTokenType.True:
                values[slot] = DirectoryValue.FromBoolean(true);
                break;
            case JsonTokenType.False:
                values[slot] = DirectoryValue.FromBoolean(false);
                break;
            case JsonTokenType.Number:
                values[slot] = DirectoryValue.FromNumber(reader.GetDouble());
                break;
            case JsonTokenType.StartArray:
                values[slot] = ReadList(ref reader, name, kind, ref problem);
                break;
            default:
                values = ReadObject(ref reader, name, values, ref problem);
                break;
        }

        return values;
    }

    /// <summary>A value equal to one already read for this user (userPrincipalName is often mail): share it.</summary>
    private DirectoryValue? SameAsEarlier(ref Utf8JsonReader reader)
    {
        var length = reader.ValueSpan.Length;
        foreach (var earlier in _itemStrings)
        {
            var text = earlier.AsString()!;
            if (text.Length == length && length > 0 && reader.ValueTextEquals(text))
            {
                return earlier;
            }
        }

        return null;
    }

    private DirectoryValue ReadList(ref Utf8JsonReader reader, string name, PropertyKind kind, ref string? problem)
    {
        var items = _items;
        items.Clear();
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
        {
            string? item;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    item = reader.GetString();
                    break;
                case JsonTokenType.Null:
                    continue;
                case JsonTokenType.Number:
                    item = reader.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture) : reader.GetDouble().ToString(CultureInfo.InvariantCulture);
                    break;
                case JsonTokenType.True or JsonTokenType.False:
                    item = reader.GetBoolean() ? "true" : "false";
                    break;
                case JsonTokenType.StartObject when kind != PropertyKind.TextList:
                    item = ReadListObject(ref reader, UserPropertyKinds.GetListKey(name));
                    break;
                default:
                    problem ??= $"'{name}' holds {TokenName(reader.TokenType)} where Graph sends text";
                    SkipValue(ref reader);
                    continue;
            }

            if (item is not null)
            {
                items.Add(item);
            }
        }

        return items.Count == 0 ? _cache.EmptyList : DirectoryValue.FromList(items.ToArray());
    }

    /// <summary>An object in a list stands for its key member (a licence's skuId), else its whole compact JSON.</summary>
    private static string? ReadListObject(ref Utf8JsonReader reader, string key)
    {
        var start = reader;
        var depth = reader.CurrentDepth;
        string? found = null;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals(key))
            {
                reader.Read();
                found = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                SkipValue(ref reader);
            }
        }

        if (found is not null)
        {
            return found;
        }

        using var element = JsonDocument.ParseValue(ref start);
        return element.RootElement.GetRawText();
    }

    /// <summary>Flattens an object into <c>parent/child</c> properties; an empty object (a schema extension without a value) is null.</summary>
    private DirectoryValue?[] ReadObject(ref Utf8JsonReader reader, string parent, DirectoryValue?[] values, ref string? problem)
    {
        var depth = reader.CurrentDepth;
        if (depth > MaxFlattenDepth)
        {
            problem ??= $"'{parent}' is nested more than {MaxFlattenDepth} levels deep";
            SkipValue(ref reader);
            return values;
        }

        var any = false;
        Span<char> nameBuffer = stackalloc char[MaxNameLength];
        Span<char> keyBuffer = stackalloc char[MaxNameLength * 2];
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            var childLength = DecodeName(ref reader, nameBuffer, out var heapChild);
            ReadOnlySpan<char> child = heapChild is null ? nameBuffer[..childLength] : heapChild.AsSpan();
            reader.Read();
            if (child.Contains('@'))
            {
                SkipValue(ref reader);
                continue;
            }

            any = true;
            int slot;
            if (parent.Length + 1 + child.Length <= keyBuffer.Length)
            {
                parent.CopyTo(keyBuffer);
                keyBuffer[parent.Length] = '/';
                child.CopyTo(keyBuffer[(parent.Length + 1)..]);
                if (!Schema.TryGetSlot(keyBuffer[..(parent.Length + 1 + child.Length)], out slot))
                {
                    Schema = Schema.With(string.Concat(parent, "/", child), out slot);
                }
            }
            else
            {
                Schema = Schema.With(string.Concat(parent, "/", child), out slot);
            }

            values = ReadValue(ref reader, Schema.Names[slot], slot, values, ref problem);
        }

        if (!any && Schema.TryGetSlot(parent, out var parentSlot))
        {
            values = EnsureCapacity(values, parentSlot);
            values[parentSlot] = DirectoryValue.Null;
        }

        return values;
    }
}

/// <summary>A Graph response body could not be read (cut off, not JSON, not the expected shape); asking again may help.</summary>
internal class GraphResponseException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>A response body is bigger than the limit allows; asking again would not help.</summary>
internal sealed class GraphResponseTooLargeException(long limit, string option = "GraphSourceOptions.MaxPageBytes")
    : GraphResponseException($"the response body is larger than the {Size(limit)} allowed ({option})")
{
    public long Limit => limit;

    public string Option => option;

    internal static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MiB" : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KiB" : $"{bytes} bytes";
}
