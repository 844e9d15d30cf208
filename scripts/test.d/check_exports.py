"""Feeds fcsynth's exported files through the readers a trainer uses and checks what they make
of them against the run's raw export (the records themselves): Hugging Face `datasets` loads
every file, and LLaMA-Factory's own dataset_info parser, dataset converters, and chat templates
(with their FunctionFormatter and ToolFormatter) turn each line into the text a model trains on.

LLaMA-Factory is installed without its dependencies. Its package __init__ files pull in torch,
and its logging and constants modules transformers and peft; none of that is on the path to
the code checked here. The package folders are registered bare, so that the real converter,
formatter, tool_utils, template, parser and data_args modules load from the installed files,
and the few modules around them that need the training stack are replaced by the stand-ins
below: a plain logger, the dataset_info file name, and a multimodal plugin that is never called.

Usage: check_exports.py MANIFEST.json; prints a JSON report and exits 1 on any failed check.
"""

import importlib.util
import json
import logging
import os
import re
import sys
import types


def install_llamafactory_shims():
    spec = importlib.util.find_spec("llamafactory")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llamafactory is not installed")
    root = list(spec.submodule_search_locations)[0]
    for package in ["llamafactory", "llamafactory.extras", "llamafactory.data", "llamafactory.hparams"]:
        module = types.ModuleType(package)
        module.__path__ = [os.path.join(root, *package.split(".")[1:])]
        sys.modules[package] = module

    class RankZeroLogger(logging.Logger):
        def warning_rank0(self, *args, **kwargs):
            self.warning(*args, **kwargs)

        def warning_rank0_once(self, *args, **kwargs):
            self.warning(*args, **kwargs)

        def info_rank0(self, *args, **kwargs):
            self.info(*args, **kwargs)

    extras_logging = types.ModuleType("llamafactory.extras.logging")
    extras_logging.get_logger = lambda name=None: RankZeroLogger(name or "llamafactory")
    sys.modules["llamafactory.extras.logging"] = extras_logging

    constants = types.ModuleType("llamafactory.extras.constants")
    constants.DATA_CONFIG = "dataset_info.json"
    sys.modules["llamafactory.extras.constants"] = constants

    misc = types.ModuleType("llamafactory.extras.misc")
    misc.use_modelscope = lambda: False
    misc.use_openmind = lambda: False
    sys.modules["llamafactory.extras.misc"] = misc

    mm_plugin = types.ModuleType("llamafactory.data.mm_plugin")
    mm_plugin.get_mm_plugin = lambda *args, **kwargs: None
    sys.modules["llamafactory.data.mm_plugin"] = mm_plugin


install_llamafactory_shims()

import datasets  # noqa: E402
from llamafactory.data.converter import DATASET_CONVERTERS  # noqa: E402
from llamafactory.data.data_utils import Role  # noqa: E402
from llamafactory.data.parser import get_dataset_list  # noqa: E402
from llamafactory.data.template import TEMPLATES  # noqa: E402
from llamafactory.hparams.data_args import DataArguments  # noqa: E402

datasets.disable_progress_bars()


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def render(template_name, converted):
    """The training text of each turn, as the template lays it out (strings, not token ids)."""
    template = TEMPLATES[template_name]
    template._convert_elements_to_ids = lambda tokenizer, elements: "".join(e for e in elements if isinstance(e, str))
    messages = converted["_prompt"] + converted["_response"]
    return messages, template._encode(None, messages, converted["_system"], converted["_tools"])


class Report:
    def __init__(self):
        self.failures = []
        self.facts = {}

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
        return condition


def quoted_name_count(text, name):
    return len(re.findall(r'"name":\s*"' + re.escape(name) + '"', text))


def check_dataset(report, manifest, entry, records):
    name = entry["dataset"]
    attr = get_dataset_list([name], manifest["dataset_dir"])[0]
    path = os.path.join(manifest["dataset_dir"], attr.dataset_name)
    rows = datasets.load_dataset("json", data_files=path, split="train")
    report.check(rows.num_rows == len(records), f"{name}: {rows.num_rows} rows loaded, the run has {len(records)}")
    converter = DATASET_CONVERTERS[attr.formatting](attr, DataArguments(dataset_dir=manifest["dataset_dir"]))
    facts = {"rows": rows.num_rows, "thoughts": 0, "parallel_turns": 0, "tool_counts": set()}
    for index, (row, record) in enumerate(zip(rows, records)):
        where = f"{name} line {index + 1}"
        converted = converter(row)
        if not report.check(converted["_prompt"], f"{where}: LLaMA-Factory skipped the example"):
            continue
        messages, turns = render(entry["template"], converted)
        first_turn = turns[0]
        for tool in record["tools"]:
            count = quoted_name_count(first_turn, tool["function"]["name"])
            facts["tool_counts"].add(count)
            report.check(
                count == entry["tool_list_copies"],
                f"{where}: tool {tool['function']['name']} listed {count} times in the prompt, "
                f"expected {entry['tool_list_copies']}",
            )
        call_turns = [m for m in record["messages"] if m["role"] == "assistant" and m.get("tool_calls")]
        function_turns = [turns[i] for i, m in enumerate(messages) if m["role"] == Role.FUNCTION.value]
        observation_turns = [turns[i] for i, m in enumerate(messages) if m["role"] == Role.OBSERVATION.value]
        report.check(
            len(function_turns) == len(call_turns) == len(observation_turns),
            f"{where}: {len(call_turns)} tool turns became {len(function_turns)} function and "
            f"{len(observation_turns)} observation turns",
        )
        for call, text, observation in zip(call_turns, function_turns, observation_turns):
            position = 0
            for tool_call in call["tool_calls"]:
                found = re.search(r'"name":\s*"' + re.escape(tool_call["function"]["name"]) + '"', text[position:])
                report.check(found, f"{where}: the call to {tool_call['function']['name']} is not rendered in order")
                position += found.end() if found else 0
            thought = call.get("content")
            if thought:
                facts["thoughts"] += 1
                if entry["thought"]:
                    report.check(
                        text.startswith(thought) and "<tool_call>" in text[len(thought) :],
                        f"{where}: the thought does not come before the calls: {text[:200]!r}",
                    )
                else:
                    report.check(thought not in text, f"{where}: a thought is rendered though none was asked for")
            if len(call["tool_calls"]) > 1:
                facts["parallel_turns"] += 1
                blocks = observation.count("<tool_response>")
                expected = len(call["tool_calls"]) if entry["results"] == "tool-response" else 1
                report.check(
                    blocks == expected,
                    f"{where}: {len(call['tool_calls'])} results rendered in {blocks} <tool_response> blocks, "
                    f"expected {expected}",
                )
    facts["tool_counts"] = sorted(facts["tool_counts"])
    report.facts[name] = facts


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    report = Report()
    records = read_lines(manifest["raw"])
    loaded = {}
    for path in manifest["loads"]:
        try:
            loaded[path] = datasets.load_dataset("json", data_files=path, split="train").num_rows
        except Exception as error:  # the check is whether it loads at all, whatever the reason
            report.check(False, f"{path} does not load with datasets: {error.__cause__ or error}")
    report.facts["loaded"] = loaded
    for entry in manifest["checks"]:
        check_dataset(report, manifest, entry, records)
    print(json.dumps({"failures": report.failures[:2000], "failed": len(report.failures), "facts": report.facts}))
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
