#!/usr/bin/env python3
"""Checks sdk_merge.py on the real models: what it adds is there, in botocore's form, and
nothing botocore defines changes.

usage: sdk_merge_test.py BOTOCORE_DATA SDK_APIS   (exit 77, skipped, without SDK_APIS)
"""

import copy
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import embed_models  # noqa: E402
import sdk_merge  # noqa: E402

SERVICES = ("sts ec2 autoscaling elbv2 iam kms secretsmanager dynamodb s3 lambda stepfunctions "
            "events logs route53 acm rds eks elasticache efs sqs ssm").split()
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


def load(data_dir, service):
    root = os.path.join(data_dir, service)
    version = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))[-1]
    folder = os.path.join(root, version)
    return [embed_models.load(os.path.join(folder, name))
            for name in ("service-2.json", "waiters-2.json", "paginators-1.json")]


def unchanged(before, after, where):
    """Everything in `before` is in `after` as it was; structures may have gained members."""
    for key, value in before.items():
        if key not in after:
            failures.append("%s.%s: removed" % (where, key))
        elif isinstance(value, dict) and isinstance(after[key], dict):
            unchanged(value, after[key], where + "." + key)
        elif value != after[key]:
            failures.append("%s.%s: changed" % (where, key))


def main(argv):
    data_dir, apis = argv[1], argv[2]
    if not os.path.exists(os.path.join(apis, "metadata.json")):
        print("skipped: no aws-sdk apis folder at %s" % apis)
        return 77
    merged = {}
    for service in SERVICES:
        model, waiters, paginators = load(data_dir, service)
        before = copy.deepcopy(model)
        waiters_before = copy.deepcopy(waiters)
        waiters, paginators = sdk_merge.merge_service(apis, service, model, waiters, paginators)
        unchanged(before, model, service)
        if waiters_before:
            unchanged(waiters_before, waiters, service + " waiters")
        check(model["metadata"] == before["metadata"], service + ": metadata changed")
        # Every member of every shape names a shape that exists.
        for name, shape in model["shapes"].items():
            refs = list(shape.get("members", {}).values())
            refs += [shape[k] for k in ("member", "key", "value") if k in shape]
            for ref in refs:
                check(ref.get("shape") in model["shapes"],
                      "%s %s: member names missing shape %s" % (service, name, ref.get("shape")))
        for name, op in model["operations"].items():
            for io in ("input", "output"):
                if io in op:
                    check(op[io]["shape"] in model["shapes"], "%s %s.%s" % (service, name, io))
        for name, entry in (paginators or {}).get("pagination", {}).items():
            check("input_token" in entry, "%s paginator %s has no input_token" % (service, name))
        merged[service] = model

    sfn = merged["stepfunctions"]
    op = sfn["operations"].get("ValidateStateMachineDefinition")
    check(op is not None, "stepfunctions: ValidateStateMachineDefinition not added")
    if op:
        check(op["http"] == {"method": "POST", "requestUri": "/"}, "sfn: http %s" % op["http"])
        request = sfn["shapes"][op["input"]["shape"]]
        check("definition" in request["required"], "sfn: definition not required")
        check(sfn["shapes"][request["members"]["definition"]["shape"]]["type"] == "string",
              "sfn: definition is not a string")
    elbv2 = merged["elbv2"]
    check("DescribeListenerAttributes" in elbv2["operations"], "elbv2: no DescribeListenerAttributes")
    s3 = merged["s3"]
    list_buckets = s3["operations"]["ListBuckets"]
    members = s3["shapes"][list_buckets["input"]["shape"]]["members"]
    check(members.get("MaxBuckets", {}).get("location") == "querystring" and
          members["MaxBuckets"].get("locationName") == "max-buckets",
          "s3: ListBuckets lacks MaxBuckets in the query string: %s" % members)
    put = s3["shapes"][s3["operations"]["PutObject"]["input"]["shape"]]["members"]
    check(put["Expires"]["shape"] in s3["shapes"] and
          s3["shapes"][put["Expires"]["shape"]]["type"] == "timestamp",
          "s3: PutObject Expires is no longer botocore's timestamp")
    check(merged["sqs"]["metadata"]["protocol"] == "query", "sqs: protocol changed")
    for failure in failures[:50]:
        print("FAIL:", failure)
    print("%d services merged, %d failures" % (len(merged), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
