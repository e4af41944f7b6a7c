"""Adds what a newer model has on top of a botocore service model (see docs/aws-models.md).

The newer model is the npm package aws-sdk (version 2): its apis/<prefix>-<version>.min.json
holds the same operations and shapes as botocore's service-2.json, in the SDK's compact
form: shapes written inline where used, shared ones named S<n>, a member without `type` or
`shape` is a string, an operation without an http method is POST, and documentation, enum
values and errors dropped. This module reads that form and adds to the botocore model, in
botocore's form, only what botocore lacks:

* operations botocore does not have, with every shape they use;
* members missing from a structure botocore has (looked for by following an operation's
  input and output through both models), with the shapes they use, and an input or output
  that botocore's operation lacks;
* waiters and paginators botocore does not have.

Nothing botocore defines is changed: its protocol, metadata, shapes, members, required
lists, enums and errors stay as they are, so the wire format of what it covers is the same.
"""

import json
import os

# The aws-sdk file prefix where it is not the botocore service name.
SDK_PREFIX = {
    "elbv2": "elasticloadbalancingv2",
    "stepfunctions": "states",
    "efs": "elasticfilesystem",
}
# Keys of a min.json reference that belong to the member (the rest describe the shape).
MEMBER_KEYS = ("location", "locationName", "queryName", "xmlNamespace", "xmlAttribute",
               "idempotencyToken", "jsonvalue", "hostLabel", "contextParam", "eventpayload",
               "eventheader", "box", "flattened", "timestampFormat")
# Keys that describe a shape.
SHAPE_KEYS = ("required", "flattened", "sensitive", "timestampFormat", "streaming",
              "requiresLength", "exception", "error", "fault", "payload", "document", "union",
              "event", "eventstream", "wrapper", "min", "max", "pattern", "box")
# Keys of an operation's input / output reference (route53 names its XML root there).
IO_REF_KEYS = ("locationName", "xmlNamespace", "resultWrapper")
OPERATION_KEYS = ("endpoint", "httpChecksum", "idempotent", "authtype", "endpointdiscovery",
                  "endpointoperation", "staticContextParams", "unsignedPayload")


def sdk_files(apis_dir, service):
    """The service's min.json, waiters2.json and paginators.json paths (None when absent)."""
    prefix = SDK_PREFIX.get(service, service) + "-"
    names = sorted(n for n in os.listdir(apis_dir)
                   if n.startswith(prefix) and n.endswith(".min.json")
                   and n[len(prefix):len(prefix) + 4].isdigit())
    if not names:
        return None, None, None
    stem = os.path.join(apis_dir, names[-1][:-len(".min.json")])
    paths = [stem + ".min.json", stem + ".waiters2.json", stem + ".paginators.json"]
    return [p if os.path.exists(p) else None for p in paths]


class Converter:
    """Writes min.json references into a botocore model's shapes, under fresh names."""

    def __init__(self, sdk, model):
        self.sdk_shapes = sdk.get("shapes", {})
        self.shapes = model["shapes"]
        self.named = {}  # S<n> -> the name it was given in the botocore model

    def resolve(self, ref):
        """The shape definition a reference stands for."""
        if "shape" in ref:
            return self.sdk_shapes[ref["shape"]]
        return ref

    def fresh_name(self, hint):
        name, n = hint, 2
        while name in self.shapes:
            name, n = "%s%d" % (hint, n), n + 1
        return name

    def shape(self, ref, hint, shape_keys=SHAPE_KEYS):
        """Adds the shape a reference stands for; returns its botocore name."""
        if "shape" in ref:
            if ref["shape"] in self.named:
                return self.named[ref["shape"]]
            name = self.fresh_name(hint)
            self.named[ref["shape"]] = name
            self.shapes[name] = {}
            # A named shape keeps its own XML naming (botocore writes it on the shape too).
            self.fill(name, self.sdk_shapes[ref["shape"]],
                      shape_keys + ("locationName", "xmlNamespace"))
            return name
        name = self.fresh_name(hint)
        self.shapes[name] = {}
        self.fill(name, ref, shape_keys)
        return name

    def fill(self, name, definition, shape_keys):
        out = {"type": definition.get("type", "string")}
        for key in shape_keys:
            if key in definition:
                out[key] = definition[key]
        self.shapes[name] = out
        if "members" in definition:
            out["members"] = {m: self.member(r, name + m) for m, r in definition["members"].items()}
        for key in ("member", "key", "value"):
            if key in definition:
                out[key] = self.member(definition[key], name + key.capitalize())

    def member(self, ref, hint):
        out = {k: ref[k] for k in MEMBER_KEYS if k in ref}
        out["shape"] = self.shape(ref, hint)
        return out

    def io_ref(self, ref, hint):
        out = {k: ref[k] for k in IO_REF_KEYS if k in ref}
        out["shape"] = self.shape(ref, hint, SHAPE_KEYS + ("locationName", "xmlNamespace"))
        return out

    def operation(self, name, op):
        http = dict(op.get("http", {}))
        http.setdefault("method", "POST")
        http.setdefault("requestUri", "/")
        out = {"name": name, "http": http}
        for key in OPERATION_KEYS:
            if key in op:
                out[key] = op[key]
        if "input" in op:
            out["input"] = self.io_ref(op["input"], name + "Request")
        if "output" in op:
            out["output"] = self.io_ref(op["output"], name + "Result")
        return out

    def add_members(self, base_name, ref, seen):
        """Adds members of the SDK's definition that botocore's shape base_name lacks."""
        definition = self.resolve(ref)
        key = (base_name, id(definition))
        if key in seen:
            return
        seen.add(key)
        base = self.shapes[base_name]
        kind = base.get("type")
        if kind != definition.get("type", "string"):
            return
        if kind == "structure":
            members = base.setdefault("members", {})
            for member, member_ref in definition.get("members", {}).items():
                if member in members:
                    self.add_members(members[member]["shape"], member_ref, seen)
                else:
                    members[member] = self.member(member_ref, base_name + member)
        elif kind == "list" and "member" in definition:
            self.add_members(base["member"]["shape"], definition["member"], seen)
        elif kind == "map" and "value" in definition:
            self.add_members(base["value"]["shape"], definition["value"], seen)


def merge_service(apis_dir, service, model, waiters, paginators):
    """Adds the SDK's additions to model (in place); returns (waiters, paginators)."""
    model_path, waiters_path, paginators_path = sdk_files(apis_dir, service)
    if model_path is None:
        return waiters, paginators
    with open(model_path, encoding="utf-8") as f:
        sdk = json.load(f)
    if sdk["metadata"].get("apiVersion") != model["metadata"].get("apiVersion"):
        return waiters, paginators
    converter = Converter(sdk, model)
    seen = set()
    for name, op in sdk["operations"].items():
        base = model["operations"].get(name)
        if base is None:
            model["operations"][name] = converter.operation(name, op)
            continue
        for io, hint in (("input", "Request"), ("output", "Result")):
            if io in op and io in base:
                converter.add_members(base[io]["shape"], op[io], seen)
            elif io in op:
                base[io] = converter.io_ref(op[io], name + hint)
    waiters = merge_named(waiters, waiters_path, "waiters")
    paginators = merge_named(paginators, paginators_path, "pagination")
    return waiters, paginators


def merge_named(doc, path, key):
    """Adds the entries under doc[key] that the SDK's file has and doc lacks."""
    if path is None:
        return doc
    with open(path, encoding="utf-8") as f:
        sdk = json.load(f)
    if doc is None:
        doc = {"version": sdk.get("version", 2), key: {}}
    entries = doc.setdefault(key, {})
    for name, entry in sdk.get(key, {}).items():
        # The SDK also lists operations that only name a result key (no paging): not paginators.
        if key == "pagination" and "input_token" not in entry:
            continue
        entries.setdefault(name, entry)
    return doc
