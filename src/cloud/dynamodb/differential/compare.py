#!/usr/bin/env python3
"""compare.py CASES REFERENCE OURS: compares two replays of the same cases line by line.

A case fails when one side succeeded and the other did not, when the error codes differ, or
when a returned value differs (items, attributes, counts, keys, responses). Different error
messages are reported but do not fail. Cases marked "unordered" compare Items as
multisets. A case with a "dynalite_differs" reason documents a
place where dynalite departs from DynamoDB; a mismatch there is reported as known. Prints "N passed, M failed" and exits non-zero on a
failure."""
import json
import sys

FIELDS = ["Item", "Items", "Attributes", "Count", "ScannedCount", "LastEvaluatedKey",
          "Responses", "UnprocessedKeys", "UnprocessedItems", "TableNames"]


def normalize(value):
    """Sets are unordered: sort them so that equal sets compare equal."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("SS", "NS", "BS") and isinstance(v, list):
                out[k] = sorted(v)
            else:
                out[k] = normalize(v)
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


TABLE_FIELDS = ["TableName", "KeySchema", "AttributeDefinitions", "TableStatus"]


def table_shape(body):
    """The parts of a table description both implementations must agree on."""
    for key in ("Table", "TableDescription"):
        if isinstance(body.get(key), dict):
            d = body[key]
            shape = {f: d.get(f) for f in TABLE_FIELDS}
            for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
                if d.get("TableStatus") == "DELETING":
                    break  # What a deleted table's description lists varies.
                shape[kind] = sorted(
                    (i.get("IndexName"), json.dumps(i.get("KeySchema")),
                     json.dumps(i.get("Projection"), sort_keys=True)) for i in d.get(kind, []))
            if d.get("TableStatus") in ("CREATING", "UPDATING", "ACTIVE"):
                # When a table turns ACTIVE is up to each implementation's clock.
                shape["TableStatus"] = "CREATING, UPDATING or ACTIVE"
            return shape
    return None


def unordered_responses(body):
    """BatchGetItem returns each table's items in no particular order."""
    responses = body.get("Responses")
    if isinstance(responses, dict):
        body = dict(body)
        body["Responses"] = {t: sorted(items, key=lambda i: json.dumps(i, sort_keys=True))
                             for t, items in responses.items()}
    return body


def code(body):
    return str(body.get("__type", "")).split("#")[-1]


def main():
    cases = json.load(open(sys.argv[1]))
    reference = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
    ours = [json.loads(l) for l in open(sys.argv[3]) if l.strip()]
    passed = failed = known = 0
    for i, case in enumerate(cases):
        name = "%02d-%s" % (i + 1, case["op"])
        if i >= len(reference) or i >= len(ours):
            print("FAIL %s: missing output" % name)
            failed += 1
            continue
        ref, got = reference[i], ours[i]
        for side in (ref, got):
            if not isinstance(side["body"], dict):
                side["body"] = {}  # An empty body (TagResource) says what {} says.
        if case.get("unordered"):
            # Items with equal index keys, or from different partitions of a scan, come in
            # no defined order.
            for side in (ref, got):
                if isinstance(side["body"].get("Items"), list):
                    side["body"]["Items"] = sorted(
                        side["body"]["Items"], key=lambda i: json.dumps(i, sort_keys=True))
        if case["op"] == "BatchGetItem":
            ref["body"] = unordered_responses(ref["body"])
            got["body"] = unordered_responses(got["body"])
        ref_ok, got_ok = ref["status"] == 200, got["status"] == 200
        why = None
        if ref_ok != got_ok:
            why = "reference %s, ours %s" % (
                "ok" if ref_ok else code(ref["body"]) + ": " + ref["body"].get("message", ""),
                "ok" if got_ok else code(got["body"]) + ": " + got["body"].get("message", ""))
        elif not ref_ok:
            if code(ref["body"]) != code(got["body"]):
                why = "error code %s vs ours %s" % (code(ref["body"]), code(got["body"]))
            elif ref["body"].get("message") != got["body"].get("message"):
                print("NOTE %s: message differs:\n  dynalite: %s\n  ours:     %s" % (
                    name, ref["body"].get("message"), got["body"].get("message")))
        else:
            if table_shape(ref["body"]) != table_shape(got["body"]):
                why = "table description differs:\n  reference: %s\n  ours:      %s" % (
                    table_shape(ref["body"]), table_shape(got["body"]))
            for field in ([] if why else FIELDS):
                a = normalize(ref["body"].get(field))
                b = normalize(got["body"].get(field))
                if field == "Attributes" and not a and not b:
                    continue  # An empty map and no map say the same.
                if a != b:
                    why = "%s differs:\n  reference: %s\n  ours:      %s" % (
                        field, json.dumps(a, sort_keys=True), json.dumps(b, sort_keys=True))
                    break
        if why and case.get("dynalite_differs"):
            print("KNOWN %s: %s" % (name, case["dynalite_differs"]))
            known += 1
        elif why:
            print("FAIL %s: %s" % (name, why))
            failed += 1
        else:
            passed += 1
    print("%d passed, %d failed, %d known differences" % (passed, failed, known))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
