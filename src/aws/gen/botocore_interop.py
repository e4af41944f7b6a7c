#!/usr/bin/env python3
"""Checks the codecs' server side against botocore, the library awscli is built on.

usage: botocore_interop.py DRIVER

For a set of operations over every embedded service, botocore serializes the params; DRIVER
(aws_interop_driver) routes and parses that request and serializes a result and an error;
botocore's parsers must read them back. Ends with "N passed, M failed". Exit 77 (skipped)
when this python has no botocore. Offline: nothing is sent anywhere.
"""

import datetime
import io
import json
import subprocess
import sys
from urllib.parse import quote, urlencode

try:
    import botocore.session
    from botocore import parsers, serialize
    from botocore.awsrequest import HTTPHeaders
    from botocore.response import StreamingBody
except ImportError:
    print("botocore is not installed: skipped")
    sys.exit(77)

T = 1704164645  # 2024-01-02T03:04:05Z

CASES = [
    ("ec2", "DescribeInstances",
     {"Filters": [{"Name": "tag:Name", "Values": ["web", "db"]}], "InstanceIds": ["i-1"],
      "MaxResults": 10},
     {"Reservations": [{"ReservationId": "r-1", "Instances": [
         {"InstanceId": "i-1", "State": {"Code": 16, "Name": "running"}, "LaunchTime": T,
          "Tags": [{"Key": "Name", "Value": "web"}]}]}]}),
    ("ec2", "RunInstances",
     {"ImageId": "ami-1", "MinCount": 1, "MaxCount": 2, "ClientToken": "tok",
      "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}],
      "BlockDeviceMappings": [{"DeviceName": "/dev/sda1",
                               "Ebs": {"VolumeSize": 20, "DeleteOnTermination": True}}]},
     {"ReservationId": "r-2", "Instances": [{"InstanceId": "i-2", "InstanceType": "m5.large"}]}),
    ("iam", "CreateRole",
     {"RoleName": "web", "AssumeRolePolicyDocument": "{\"a\":1}",
      "Tags": [{"Key": "k", "Value": "v"}]},
     {"Role": {"RoleName": "web", "RoleId": "AROA", "Arn": "arn:aws:iam::1:role/web",
               "Path": "/", "CreateDate": T}}),
    ("sts", "GetCallerIdentity", {}, {"Account": "123", "Arn": "arn", "UserId": "u"}),
    ("elbv2", "CreateTargetGroup",
     {"Name": "tg", "Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1",
      "Tags": [{"Key": "a", "Value": "b"}]},
     {"TargetGroups": [{"TargetGroupArn": "arn:tg", "TargetGroupName": "tg", "Port": 80}]}),
    ("autoscaling", "CreateAutoScalingGroup",
     {"AutoScalingGroupName": "g", "MinSize": 1, "MaxSize": 3, "VPCZoneIdentifier": "subnet-1",
      "LaunchTemplate": {"LaunchTemplateId": "lt-1", "Version": "$Latest"}}, {}),
    ("dynamodb", "PutItem",
     {"TableName": "tbl", "Item": {"id": {"S": "1"}, "n": {"N": "5"}, "b": {"B": b"\x01\x02"}}},
     {"ConsumedCapacity": {"TableName": "tbl", "CapacityUnits": 1.5}}),
    ("kms", "Encrypt", {"KeyId": "k", "Plaintext": b"secret"},
     {"CiphertextBlob": "xyz", "KeyId": "k"}),
    ("secretsmanager", "CreateSecret",
     {"Name": "s", "SecretString": "v", "ClientRequestToken": "t" * 32},
     {"ARN": "arn", "Name": "s", "VersionId": "v1"}),
    ("s3", "PutObject",
     {"Bucket": "b", "Key": "dir/my file.txt", "Body": b"hello", "Metadata": {"owner": "me"},
      "ContentType": "text/plain"},
     {"ETag": "\"abc\"", "VersionId": "3"}),
    ("s3", "CopyObject", {"Bucket": "b", "Key": "k2", "CopySource": "b/k1"},
     {"CopyObjectResult": {"ETag": "\"e\"", "LastModified": T}}),
    ("s3", "ListObjectsV2", {"Bucket": "b", "Prefix": "dir/", "MaxKeys": 5},
     {"Contents": [{"Key": "dir/a", "Size": 3, "LastModified": T, "ETag": "\"e\""}],
      "IsTruncated": False, "KeyCount": 1, "Name": "b", "Prefix": "dir/"}),
    ("s3", "CreateBucket",
     {"Bucket": "b", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}},
     {"Location": "/b"}),
    ("s3", "PutBucketTagging", {"Bucket": "b", "Tagging": {"TagSet": [{"Key": "a", "Value": "b"}]}},
     {}),
    ("lambda", "CreateFunction",
     {"FunctionName": "f", "Role": "arn:r", "Runtime": "python3.9", "Handler": "h",
      "Code": {"ZipFile": b"PK\x03\x04"}, "Environment": {"Variables": {"A": "1"}},
      "Tags": {"t": "v"}},
     {"FunctionName": "f", "FunctionArn": "arn:f", "State": "Active", "MemorySize": 128}),
    ("lambda", "Invoke", {"FunctionName": "f", "Payload": b"{\"a\":1}"},
     {"StatusCode": 200, "Payload": "{\"r\":2}", "ExecutedVersion": "$LATEST"}),
    ("route53", "ChangeResourceRecordSets",
     {"HostedZoneId": "Z1", "ChangeBatch": {"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
         "Name": "a.example.com", "Type": "A", "TTL": 60,
         "ResourceRecords": [{"Value": "1.2.3.4"}]}}]}},
     {"ChangeInfo": {"Id": "c1", "Status": "PENDING", "SubmittedAt": T}}),
    ("route53", "ListHostedZones", {"MaxItems": "10"},
     {"HostedZones": [{"Id": "/hostedzone/Z1", "Name": "example.com.", "CallerReference": "r",
                       "Config": {"PrivateZone": False}}],
      "IsTruncated": False, "MaxItems": "10", "Marker": "m"}),
    ("eks", "CreateCluster",
     {"name": "c", "roleArn": "arn:r", "resourcesVpcConfig": {"subnetIds": ["s-1"]},
      "clientRequestToken": "t"},
     {"cluster": {"name": "c", "status": "CREATING", "createdAt": T}}),
    ("logs", "PutRetentionPolicy", {"logGroupName": "g", "retentionInDays": 7}, {}),
    ("ssm", "GetParameter", {"Name": "/a/b", "WithDecryption": True},
     {"Parameter": {"Name": "/a/b", "Value": "v", "Version": 1, "LastModifiedDate": T + 0.5}}),
    ("sqs", "CreateQueue", {"QueueName": "q", "Attributes": {"VisibilityTimeout": "30"}},
     {"QueueUrl": "http://q"}),
    ("rds", "CreateDBInstance",
     {"DBInstanceIdentifier": "db", "DBInstanceClass": "db.t3.micro", "Engine": "postgres",
      "AllocatedStorage": 20, "VpcSecurityGroupIds": ["sg-1"]},
     {"DBInstance": {"DBInstanceIdentifier": "db", "DBInstanceStatus": "creating",
                     "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-1", "Status": "active"}]}}),
    ("elasticache", "CreateCacheCluster",
     {"CacheClusterId": "c", "NumCacheNodes": 1, "Engine": "redis", "SecurityGroupIds": ["sg-1"]},
     {"CacheCluster": {"CacheClusterId": "c", "CacheClusterStatus": "creating"}}),
    ("efs", "CreateFileSystem",
     {"CreationToken": "t", "Encrypted": True, "Tags": [{"Key": "a", "Value": "b"}]},
     {"FileSystemId": "fs-1", "LifeCycleState": "creating", "CreationTime": T, "OwnerId": "1",
      "CreationToken": "t", "NumberOfMountTargets": 0, "SizeInBytes": {"Value": 0},
      "PerformanceMode": "generalPurpose", "Tags": [{"Key": "a", "Value": "b"}]}),
    ("acm", "RequestCertificate", {"DomainName": "a.example.com", "ValidationMethod": "DNS"},
     {"CertificateArn": "arn:c"}),
    ("events", "PutRule", {"Name": "r", "ScheduleExpression": "rate(5 minutes)"},
     {"RuleArn": "arn:r"}),
    ("stepfunctions", "StartExecution", {"stateMachineArn": "arn:s", "input": "{}"},
     {"executionArn": "arn:e", "startDate": T}),
]


def text(value):
    """The tree form of a botocore value: bytes as latin-1 text, datetimes as epoch seconds."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if hasattr(value, "read"):
        return value.read().decode("latin-1")
    if isinstance(value, dict):
        return {k: text(v) for k, v in value.items()
                if v not in (None, [], {}) and k != "ResponseMetadata"}
    if isinstance(value, list):
        return [text(v) for v in value]
    return value


def request_of(session, service, op, params):
    model = session.get_service_model(service)
    operation = model.operation_model(op)
    request = serialize.create_serializer(model.metadata["protocol"]).serialize_to_request(
        params, operation)
    body = request["body"]
    if isinstance(body, dict):
        body = urlencode(body, doseq=True)
    if isinstance(body, bytes):
        body = body.decode("latin-1")
    path = request["url_path"]
    query = request.get("query_string")
    if query:
        if isinstance(query, dict):
            query = urlencode(query, doseq=True, quote_via=quote)
        path += ("&" if "?" in path else "?") + query
    headers = {k: v.decode() if isinstance(v, bytes) else v for k, v in request["headers"].items()}
    return {"method": request["method"], "path": path, "headers": headers, "body": body}


def parse(session, service, op, status, headers, body):
    model = session.get_service_model(service)
    operation = model.operation_model(op)
    raw = body.encode("latin-1")
    if operation.has_streaming_output and status < 300:
        raw = StreamingBody(io.BytesIO(raw), len(raw))
    response = {"status_code": status, "headers": HTTPHeaders.from_dict(headers), "body": raw,
                "context": {"operation_name": op}}
    return parsers.create_parser(model.metadata["protocol"]).parse(response,
                                                                   operation.output_shape)


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__)
    session = botocore.session.get_session()
    cases = []
    for service, op, params, result in CASES:
        cases.append({"service": service, "op": op, "params": text(params), "result": result,
                      "request": request_of(session, service, op, params)})
    done = subprocess.run([argv[1]], input=json.dumps(cases), capture_output=True, text=True,
                          check=True)
    passed = failed = 0
    for case, answer in zip(cases, json.loads(done.stdout)):
        name = "%s.%s" % (case["service"], case["op"])
        problems = []
        if answer.get("route") != case["op"]:
            problems.append("routed to %s" % answer.get("route"))
        elif text(answer.get("params")) != text(case["params"]):
            problems.append("params %s != %s" % (answer.get("params"), case["params"]))
        else:
            got = text(parse(session, case["service"], case["op"], answer["status"],
                             answer["headers"], answer["body"]))
            if got != text(case["result"]):
                problems.append("botocore read %s, not %s" % (got, case["result"]))
            error = answer["error"]
            parsed = parse(session, case["service"], case["op"], error["status"],
                           error["headers"], error["body"])
            got_error = (parsed.get("Error", {}).get("Code"), parsed.get("Error", {}).get("Message"),
                         parsed.get("ResponseMetadata", {}).get("RequestId"))
            if got_error != ("ThingNotFound", "no such thing", "request-2"):
                problems.append("botocore read the error as %s" % (got_error,))
        if problems:
            failed += 1
            print("FAIL %s: %s" % (name, "; ".join(problems)))
        else:
            passed += 1
    print("botocore %s: %d passed, %d failed" % (botocore.__version__, passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
