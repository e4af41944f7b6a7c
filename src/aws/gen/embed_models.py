#!/usr/bin/env python3
"""Embeds botocore service models into a C++ source file (see docs/aws-models.md).

usage: embed_models.py DATA_DIR OUTPUT.cc [--sdk-apis APIS_DIR] SERVICE...

For each SERVICE, reads the newest dated folder under DATA_DIR/SERVICE/ and its
service-2.json, waiters-2.json and paginators-1.json (plain or .gz), drops documentation
strings and examples, minifies, and writes each file into OUTPUT.cc as a null-terminated
array of raw string literals (each under the 64 KiB that compilers must support), defining
cf::aws::EmbeddedServices(). Runs offline; fails loudly when a service is missing.

With --sdk-apis (the apis/ folder of the npm package aws-sdk, version 2), what that newer
model has and botocore's lacks is added on top: operations, structure members, shapes,
waiters and paginators (sdk_merge.py). Nothing botocore defines is changed.
"""

import gzip
import json
import os
import sys

import sdk_merge

DROP_KEYS = ("documentation", "documentationUrl", "examples", "deprecatedMessage")
DELIMITER = "cfjson"
# Enum values that AWS accepts and that Debian's botocore (1.29) predates: appended to the
# model's enum so that both directions (the local cloud's validation too) accept them.
ENUM_ADDITIONS = {
    "lambda": {"Runtime": ["provided.al2023", "nodejs18.x", "nodejs20.x", "python3.10",
                           "python3.11", "python3.12", "java17", "java21"]},
}
# Shapes and structure members that AWS has and that Debian's botocore (1.29) predates, added
# to the model when missing (a newer model that has them wins): {service: {"shapes": {name:
# shape}, "members": {structure: {member: reference}}}}.
MODEL_ADDITIONS = {
    "lambda": {
        # Lambda's advanced logging controls (November 2023): the function's log group and
        # format, as the Terraform provider's logging_config block sends them.
        "shapes": {
            "LogFormat": {"type": "string", "enum": ["JSON", "Text"]},
            "ApplicationLogLevel": {"type": "string",
                                    "enum": ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]},
            "SystemLogLevel": {"type": "string", "enum": ["DEBUG", "INFO", "WARN"]},
            "LogGroup": {"type": "string", "min": 1, "max": 512,
                         "pattern": "[\\.\\-_/#A-Za-z0-9]+"},
            "LoggingConfig": {"type": "structure", "members": {
                "LogFormat": {"shape": "LogFormat"},
                "ApplicationLogLevel": {"shape": "ApplicationLogLevel"},
                "SystemLogLevel": {"shape": "SystemLogLevel"},
                "LogGroup": {"shape": "LogGroup"}}},
        },
        "members": {
            "CreateFunctionRequest": {"LoggingConfig": {"shape": "LoggingConfig"}},
            "UpdateFunctionConfigurationRequest": {"LoggingConfig": {"shape": "LoggingConfig"}},
            "FunctionConfiguration": {"LoggingConfig": {"shape": "LoggingConfig"}},
        },
    },
}
# Characters per literal: at most 4 bytes each in UTF-8, so a chunk stays under 64 KiB.
CHUNK = 16000


def load(path):
    for candidate in (path, path + ".gz"):
        if os.path.exists(candidate):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(candidate, "rt", encoding="utf-8") as f:
                return json.load(f)
    return None


def prune(node, parent_key=None):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            # A structure's members may be called "documentation"; keep those.
            if parent_key != "members" and key in DROP_KEYS and not isinstance(value, dict):
                continue
            out[key] = prune(value, key)
        return out
    if isinstance(node, list):
        return [prune(v, parent_key) for v in node]
    return node


def add_to_model(model, additions):
    shapes = model["shapes"]
    for name, shape in additions.get("shapes", {}).items():
        shapes.setdefault(name, shape)
    for structure, members in additions.get("members", {}).items():
        for member, reference in members.items():
            shapes[structure]["members"].setdefault(member, reference)


def chunks(text):
    if ")" + DELIMITER + '"' in text:
        raise SystemExit("embed_models: delimiter occurs in model text")
    parts = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)]
    return "{\n" + "".join('    R"%s(%s)%s",\n' % (DELIMITER, part, DELIMITER)
                           for part in parts) + "    nullptr}"


def main(argv):
    if len(argv) < 4:
        raise SystemExit(__doc__)
    data_dir, output, services = argv[1], argv[2], argv[3:]
    sdk_apis = None
    if services[:1] == ["--sdk-apis"]:
        sdk_apis, services = services[1], services[2:]
    entries = []
    for service in services:
        root = os.path.join(data_dir, service)
        if not os.path.isdir(root):
            raise SystemExit("embed_models: no botocore data for %s in %s" % (service, data_dir))
        versions = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        if not versions:
            raise SystemExit("embed_models: no versions for %s" % service)
        folder = os.path.join(root, versions[-1])
        model = load(os.path.join(folder, "service-2.json"))
        if model is None:
            raise SystemExit("embed_models: %s has no service-2.json" % folder)
        waiters = load(os.path.join(folder, "waiters-2.json"))
        paginators = load(os.path.join(folder, "paginators-1.json"))
        if sdk_apis:
            waiters, paginators = sdk_merge.merge_service(sdk_apis, service, model, waiters,
                                                          paginators)
        for shape, values in ENUM_ADDITIONS.get(service, {}).items():
            enum = model["shapes"][shape]["enum"]
            enum.extend(v for v in values if v not in enum)
        add_to_model(model, MODEL_ADDITIONS.get(service, {}))
        texts = []
        for doc in (model, waiters, paginators):
            if doc is None:
                texts.append("{nullptr}")
            else:
                texts.append(chunks(json.dumps(prune(doc), separators=(",", ":"),
                                               ensure_ascii=False, sort_keys=True)))
        entries.append((service, versions[-1], texts))

    lines = [
        "// Generated by src/aws/gen/embed_models.py from python3-botocore (and aws-sdk). Do not edit.",
        '#include "aws/models.h"',
        "",
        "namespace cf::aws {",
        "namespace {",
        "",
    ]
    for i, (service, _, texts) in enumerate(entries):
        for kind, text in zip(("service", "waiters", "paginators"), texts):
            lines.append("const char* const k%s%d[] = %s;" % (kind.capitalize(), i, text))
    lines += ["", "}  // namespace", "",
              "const std::vector<EmbeddedService>& EmbeddedServices() {",
              "  static const std::vector<EmbeddedService> kServices = {"]
    for i, (service, version, _) in enumerate(entries):
        lines.append('      {"%s", "%s", kService%d, kWaiters%d, kPaginators%d},'
                     % (service, version, i, i, i))
    lines += ["  };", "  return kServices;", "}", "", "}  // namespace cf::aws", ""]
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(tmp, output)


if __name__ == "__main__":
    main(sys.argv)
