from writ.models.toolparse import call_id, decode_arguments, parse_openai_tool_calls, parse_text_tool_calls


def test_missing_ids_are_generated_deterministically():
    raw = [{"type": "function", "function": {"name": "get_order", "arguments": '{"order_id": "1"}'}},
           {"function": {"name": "get_order", "arguments": '{"order_id": "2"}'}}]
    calls, errors = parse_openai_tool_calls(raw, salt="s")
    again, _ = parse_openai_tool_calls(raw, salt="s")
    assert errors == []
    assert [c.id for c in calls] == [c.id for c in again]
    assert calls[0].id != calls[1].id and calls[0].id.startswith("call_")
    assert calls[0].id == call_id("s", 0, "get_order", '{"order_id": "1"}')


def test_given_ids_kept_and_object_arguments_accepted():
    calls, errors = parse_openai_tool_calls([{"id": "abc", "function": {"name": "f", "arguments": {"x": 1}}}])
    assert errors == []
    assert calls[0].id == "abc" and calls[0].arguments == {"x": 1}
    assert calls[0].raw_arguments == '{"x": 1}'


def test_malformed_json_goes_to_parse_errors():
    calls, errors = parse_openai_tool_calls([
        {"id": "1", "function": {"name": "f", "arguments": '{"x": 1,'}},
        {"id": "2", "function": {"name": "g", "arguments": '{"y": 2}'}},
    ])
    assert [c.name for c in calls] == ["g"]
    assert len(errors) == 1 and "'f'" in errors[0] and "not valid JSON" in errors[0]


def test_arguments_edge_cases():
    assert decode_arguments("f", None)[0] == {}
    assert decode_arguments("f", "")[0] == {}
    assert decode_arguments("f", '"{\\"a\\": 1}"')[0] == {"a": 1}  # double-encoded
    args, _, err = decode_arguments("f", "[1, 2]")
    assert args is None and "JSON object" in err
    _, _, err = decode_arguments("f", 5)
    assert "JSON object" in err


def test_missing_name_is_an_error():
    calls, errors = parse_openai_tool_calls([{"function": {"arguments": "{}"}}, "nonsense"])
    assert calls == [] and len(errors) == 2 and "missing function name" in errors[0]


def test_tool_call_tags_in_text():
    text = 'Let me check.\n<tool_call>\n{"name": "get_order", "arguments": {"order_id": "7"}}\n</tool_call>'
    content, calls, errors = parse_text_tool_calls(text, salt="x")
    assert content == "Let me check."
    assert calls[0].name == "get_order" and calls[0].arguments == {"order_id": "7"} and errors == []


def test_several_calls_and_unclosed_block():
    text = ('<tool_call>{"name": "a", "arguments": {}}</tool_call>'
            '<tool_call>{"name": "b", "arguments": {"k": 1}}\n{"name": "c", "parameters": {}}')
    content, calls, errors = parse_text_tool_calls(text)
    assert content is None and errors == []
    assert [c.name for c in calls] == ["a", "b", "c"]
    assert len({c.id for c in calls}) == 3


def test_malformed_block_stays_in_text_and_is_reported():
    text = 'ok <tool_call>{"name": "a", "arguments": {"x": }</tool_call>'
    content, calls, errors = parse_text_tool_calls(text)
    assert calls == [] and "<tool_call>" in content
    assert len(errors) == 1 and "could not parse <tool_call>" in errors[0]


def test_bare_json_only_for_offered_tools():
    text = '```json\n{"name": "get_order", "arguments": {"order_id": "3"}}\n```'
    content, calls, _ = parse_text_tool_calls(text, tool_names={"get_order"})
    assert content is None and calls[0].arguments == {"order_id": "3"}
    # same text, tool not offered (or no tools): plain content, nothing parsed
    assert parse_text_tool_calls(text, tool_names={"other"})[1] == []
    assert parse_text_tool_calls(text)[1] == []
    plain = "The order ships tomorrow."
    assert parse_text_tool_calls(plain, tool_names={"get_order"}) == (plain, [], [])
