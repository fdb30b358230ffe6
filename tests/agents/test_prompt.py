"""Agent prompt files: loading, fitting a domain (names, required, types), filling, and `agent_setup`.

Misfits are built from writ's own schemas (so these run without tau2's data); tau2-bench's own
files for retail, airline and telecom must fit, agent and user side alike.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.conftest import TAU2
from writ.agents.prompt import AgentPrompt, PolicyFile, PromptError, sha256_text, tools_sha256
from writ.agents.setup import PromptOptions, agent_setup, parse_file_specs
from writ.data import load_data
from writ.domains import get_domain

TEMPLATE = "<instructions>\nBe kind. JSON like {\"a\": 1} stays as is.\n</instructions>\n<policy>\n{policy}\n</policy>"


def tau2_prompt(domain: str) -> Path:
    path = TAU2 / domain / "tau2_agent_prompt.json"
    if not path.is_file():
        pytest.skip(f"tau2's agent prompt file not found at {path} (the workplace's shared/ folder)")
    return path


def write_prompt(tmp_path: Path, domain: str, edit=None, **fields) -> Path:
    """A prompt file made of writ's own `domain` schemas, optionally edited (`edit(agent_tools, user_tools)`)."""
    spec = get_domain(domain)
    agent_tools = copy.deepcopy(spec.agent.schemas())
    user_tools = copy.deepcopy(spec.user.schemas()) if spec.user else []
    if edit:
        edit(agent_tools, user_tools)
    body = {"system_prompt_template": TEMPLATE, "agent_tools": agent_tools, "user_tools": user_tools, **fields}
    path = tmp_path / f"{domain}_prompt.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def tool(tools: list[dict], name: str) -> dict:
    return next(t for t in tools if t["function"]["name"] == name)


@pytest.mark.parametrize("domain", ["retail", "airline", "telecom"])
def test_tau2s_own_files_fit_their_domain_and_no_other(domain):
    prompt = AgentPrompt.load(tau2_prompt(domain))
    assert prompt.problems(get_domain(domain)) == []
    prompt.check(get_domain(domain))
    if domain == "telecom":  # the user's device tools are checked too, against the user toolbox
        assert (prompt.user_tools
                and {t["function"]["name"] for t in prompt.user_tools} == set(get_domain("telecom").user.tools))
    for other in {"retail", "airline", "telecom"} - {domain}:
        with pytest.raises(PromptError, match=rf"does not fit domain {other}: .*tool .* is missing"):
            prompt.check(get_domain(other))


def test_the_filled_template_is_taus_system_message():
    path = tau2_prompt("retail")
    policy = (TAU2 / "retail" / "policy.md").read_text(encoding="utf-8")
    raw = json.loads(path.read_text(encoding="utf-8"))
    system = AgentPrompt.load(path).fill(policy)
    head, tail = raw["system_prompt_template"].split("{policy}")
    assert system == head + policy + tail and system.startswith("<instructions>") and system.endswith("</policy>")


def test_fill_substitutes_only_the_placeholder(tmp_path):
    prompt = AgentPrompt.load(write_prompt(tmp_path, "mock"))
    policy = "Refunds {never} happen; see {policy} literally."
    assert prompt.fill(policy) == TEMPLATE.replace("{policy}", policy, 1)
    assert '{"a": 1}' in prompt.fill(policy)


def _drop(name):
    return lambda agent, user: agent.remove(tool(agent, name))


def _add_unknown(agent, user):
    agent.append({"type": "function", "function": {"name": "refund_everything", "parameters": {"type": "object"}}})


def _rename_param(agent, user):
    params = tool(agent, "get_order_details")["function"]["parameters"]
    params["properties"]["id"] = params["properties"].pop("order_id")
    params["required"] = ["id"]


def _retype(agent, user):
    tool(agent, "get_order_details")["function"]["parameters"]["properties"]["order_id"] = {"type": "integer"}


def _unrequire(agent, user):
    tool(agent, "cancel_pending_order")["function"]["parameters"]["required"] = ["order_id"]


def _items_retype(agent, user):
    prop = tool(agent, "return_delivered_order_items")["function"]["parameters"]["properties"]["item_ids"]
    prop["items"] = {"type": "integer"}


@pytest.mark.parametrize("edit, message", [
    (_drop("cancel_pending_order"), "agent tool cancel_pending_order is missing$"),
    (_add_unknown, r"unknown agent tool refund_everything \(retail has no such agent tool\)$"),
    (_rename_param,
     r"agent tool get_order_details: parameter order_id is missing \(retail's tool takes it\) \(\+1 more\)$"),
    (_retype, "agent tool get_order_details: parameter order_id has type integer, retail's is string$"),
    (_unrequire, "agent tool cancel_pending_order: parameter reason is optional here but not in retail's tool$"),
    (_items_retype, r"parameter item_ids has type array\[integer\], retail's is array\[string\]$"),
])
def test_a_misfit_is_one_line_naming_it(tmp_path, edit, message):
    path = write_prompt(tmp_path, "retail", edit)
    prompt = AgentPrompt.load(path)
    with pytest.raises(PromptError, match=message) as info:
        prompt.check(get_domain("retail"))
    assert "\n" not in str(info.value) and str(info.value).startswith(f"{path.resolve()}: does not fit domain retail: ")


def test_user_tools_must_match_the_user_toolbox(tmp_path):
    with pytest.raises(PromptError, match="user tool toggle_airplane_mode is missing"):
        edited = write_prompt(tmp_path, "telecom", lambda a, u: u.remove(tool(u, "toggle_airplane_mode")))
        AgentPrompt.load(edited).check(get_domain("telecom"))

    def extra(agent_tools, user_tools):
        user_tools.append({"type": "function", "function": {"name": "ring_bell", "parameters": {}}})

    with pytest.raises(PromptError, match=r"unknown user tool ring_bell \(retail has no such user tool\)"):
        AgentPrompt.load(write_prompt(tmp_path, "retail", extra)).check(get_domain("retail"))


def test_descriptions_titles_enums_and_order_are_free(tmp_path):
    def restyle(agent, user):
        agent.reverse()
        for t in agent:
            t["function"]["description"] = "Another harness's words."
            for prop in t["function"]["parameters"].get("properties", {}).values():
                prop["description"], prop["title"] = "words", "Title"
                prop.pop("enum", None)
    AgentPrompt.load(write_prompt(tmp_path, "airline", restyle)).check(get_domain("airline"))


@pytest.mark.parametrize("body, message", [
    ("[1, 2]", "expected a JSON object"),
    ("{not json", "not valid JSON"),
    (json.dumps({"agent_tools": []}), "system_prompt_template is missing"),
    (json.dumps({"system_prompt_template": "no placeholder", "agent_tools": []}),
     r"exactly once \(it holds it 0 times\)"),
    (json.dumps({"system_prompt_template": "{policy}{policy}", "agent_tools": []}), "it holds it 2 times"),
    (json.dumps({"system_prompt_template": "{policy}"}), "agent_tools is missing"),
    (json.dumps({"system_prompt_template": "{policy}", "agent_tools": {}}), "agent_tools must be a list"),
    (json.dumps({"system_prompt_template": "{policy}", "agent_tools": [{"name": "x"}]}),
     r"agent_tools\[0\] is not an OpenAI tool schema"),
    (json.dumps({"system_prompt_template": "{policy}",
                 "agent_tools": [{"type": "function", "function": {"name": "a"}}] * 2}),
     "agent_tools lists a twice"),
])
def test_malformed_files_are_one_line(tmp_path, body, message):
    path = tmp_path / "p.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(PromptError, match=message):
        AgentPrompt.load(path)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(PromptError, match="no such agent prompt file"):
        AgentPrompt.load(tmp_path / "absent.json")
    (tmp_path / "empty.md").write_text(" \n", encoding="utf-8")
    with pytest.raises(PromptError, match="the policy file is empty"):
        PolicyFile.load(tmp_path / "empty.md")


def test_agent_setup_without_options_is_the_bare_policy_and_writs_schemas():
    data = load_data("telecom", seed=0, scale=0.2)
    setup = agent_setup(data)
    assert setup.system == data.policy and setup.policy == data.policy
    assert setup.tools == data.domain.agent.schemas() and setup.user_tools == data.domain.user.schemas()
    described = setup.describe()
    assert described["system_prompt"]["sha256"] == sha256_text(data.policy)
    assert described["tools"]["sha256"] == tools_sha256(data.domain.agent.schemas())
    assert described["policy"]["source"] == "writ's built-in telecom policy"


def test_agent_setup_with_prompt_and_policy_files(tmp_path):
    data = load_data("retail", seed=0, scale=0.2)
    policy = tmp_path / "policy.md"
    policy.write_text("# Another policy\nBe brief.\n", encoding="utf-8")
    options = PromptOptions.load(str(write_prompt(tmp_path, "retail", lambda a, u: a.reverse())), str(policy))
    setup = agent_setup(data, options)
    assert setup.system == TEMPLATE.replace("{policy}", "# Another policy\nBe brief.\n")
    assert setup.tools == list(reversed(data.domain.agent.schemas())) and setup.user_tools is None
    assert setup.describe()["policy"]["source"] == str(policy.resolve())
    only_policy = agent_setup(data, PromptOptions.load(None, str(policy)))
    assert only_policy.system == "# Another policy\nBe brief.\n" and only_policy.tools == data.domain.agent.schemas()
    with pytest.raises(PromptError, match="does not fit domain airline"):
        agent_setup(load_data("airline", seed=0, scale=0.2), options)


def test_file_specs_per_domain(tmp_path):
    assert parse_file_specs("a.json", "--agent-prompt") == {"*": "a.json"}
    assert parse_file_specs(["retail=r.json", "airline=a.json"], "--x") == {"retail": "r.json", "airline": "a.json"}
    assert parse_file_specs({"telecom": "t.json"}, "--x") == {"telecom": "t.json"}
    assert parse_file_specs("dir/with=sign.json", "--x") == {"*": "dir/with=sign.json"}  # not a domain name
    with pytest.raises(PromptError, match="unknown domain 'banana'"):
        parse_file_specs({"banana": "b.json"}, "--agent-prompt")
    with pytest.raises(PromptError, match="not both"):
        parse_file_specs(["a.json", "retail=r.json"], "--policy")
    with pytest.raises(PromptError, match="retail given twice"):
        parse_file_specs(["retail=a.json", "retail=b.json"], "--policy")


def test_a_file_without_domain_fits_one_domain_only(tmp_path):
    options = PromptOptions.load(str(write_prompt(tmp_path, "retail")))
    options.check([get_domain("retail")])
    with pytest.raises(
        PromptError, match=r"names no domain, and this run has 2 \(retail, telecom\); use --agent-prompt DOMAIN=FILE"):
        options.check([get_domain("retail"), get_domain("telecom")])
    per_domain = PromptOptions.load([f"retail={write_prompt(tmp_path, 'retail')}"])
    per_domain.check([get_domain("retail"), get_domain("telecom")])  # telecom keeps writ's own
    assert per_domain.prompt_for("telecom") is None and per_domain.prompt_for("retail") is not None
    assert set(per_domain.identity()) == {"agent_prompt"} and not PromptOptions()


def test_a_file_for_a_domain_the_run_lacks_is_refused(tmp_path):
    options = PromptOptions.load([f"airline={write_prompt(tmp_path, 'airline')}"])
    with pytest.raises(PromptError,
                       match=r"--agent-prompt airline=.*: this run has no airline tasks \(its domains: retail\)"):
        options.check([get_domain("retail")])
    options.check([get_domain("retail")], complete=False)  # an export still discovering its runs' domains
