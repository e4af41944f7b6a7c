#include "cloud/iam/aws_managed_policies.h"

#include <algorithm>

namespace cf::cloud::iam {

const std::vector<AwsManagedPolicy>& AwsManagedPolicies() {
  static const std::
      vector<AwsManagedPolicy>* const
          kPolicies =
              new std::
                  vector<AwsManagedPolicy>{
                      {"AdministratorAccess", "/", "ANPAHAHYDA990XAR0BKI6",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})json"},
                      {"AmazonEBSCSIDriverPolicy", "/service-role/", "ANPAJSHLZOHT6C9ZBADUU",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateSnapshot","ec2:AttachVolume","ec2:DetachVolume","ec2:ModifyVolume","ec2:DescribeAvailabilityZones","ec2:DescribeInstances","ec2:DescribeSnapshots","ec2:DescribeTags","ec2:DescribeVolumes","ec2:DescribeVolumesModifications","ec2:CreateVolume","ec2:DeleteVolume","ec2:CreateTags"],"Resource":"*"}]})json"},
                      {"AmazonEC2ContainerRegistryReadOnly", "/", "ANPAENRAA16YVZNEZNUEX",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchCheckLayerAvailability","ecr:GetDownloadUrlForLayer","ecr:GetRepositoryPolicy","ecr:DescribeRepositories","ecr:ListImages","ecr:DescribeImages","ecr:BatchGetImage","ecr:GetLifecyclePolicy","ecr:GetLifecyclePolicyPreview","ecr:ListTagsForResource","ecr:DescribeImageScanFindings"],"Resource":"*"}]})json"},
                      {"AmazonEC2ContainerServiceRole", "/service-role/", "ANPAZXG501A7IXFW751MI",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AuthorizeSecurityGroupIngress","ec2:Describe*","elasticloadbalancing:DeregisterInstancesFromLoadBalancer","elasticloadbalancing:DeregisterTargets","elasticloadbalancing:Describe*","elasticloadbalancing:RegisterInstancesWithLoadBalancer","elasticloadbalancing:RegisterTargets"],"Resource":"*"}]})json"},
                      {"AmazonEC2RoleforSSM", "/service-role/", "ANPA1WRAX7D5V2BPU2F1O",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeAssociation","ssm:GetDeployablePatchSnapshotForInstance","ssm:GetDocument","ssm:DescribeDocument","ssm:GetManifest","ssm:GetParameters","ssm:ListAssociations","ssm:ListInstanceAssociations","ssm:PutInventory","ssm:PutComplianceItems","ssm:PutConfigurePackageResult","ssm:UpdateAssociationStatus","ssm:UpdateInstanceAssociationStatus","ssm:UpdateInstanceInformation","ssmmessages:*","ec2messages:*","cloudwatch:PutMetricData","ds:CreateComputer","ds:DescribeDirectories","logs:CreateLogGroup","logs:CreateLogStream","logs:DescribeLogGroups","logs:DescribeLogStreams","logs:PutLogEvents","s3:GetBucketLocation","s3:PutObject","s3:GetObject","s3:GetEncryptionConfiguration","s3:AbortMultipartUpload","s3:ListMultipartUploadParts","s3:ListBucket","s3:ListBucketMultipartUploads"],"Resource":"*"}]})json"},
                      {"AmazonEFSCSIDriverPolicy", "/service-role/", "ANPA4PV1BNJ45QWU3GL17",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["elasticfilesystem:DescribeAccessPoints","elasticfilesystem:DescribeFileSystems","elasticfilesystem:DescribeMountTargets","elasticfilesystem:CreateAccessPoint","elasticfilesystem:TagResource","elasticfilesystem:DeleteAccessPoint","ec2:DescribeAvailabilityZones"],"Resource":"*"}]})json"},
                      {"AmazonEKS_CNI_Policy", "/", "ANPAY91Q9OI9IR8DVV5P7",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:AssignPrivateIpAddresses","ec2:AttachNetworkInterface","ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface","ec2:DescribeInstances","ec2:DescribeTags","ec2:DescribeNetworkInterfaces","ec2:DescribeInstanceTypes","ec2:DescribeSubnets","ec2:DetachNetworkInterface","ec2:ModifyNetworkInterfaceAttribute","ec2:UnassignPrivateIpAddresses"],"Resource":"*"},{"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":["arn:aws:ec2:*:*:network-interface/*"]}]})json"},
                      {"AmazonEKSClusterPolicy", "/", "ANPAEV4ZH8JT12DDPJW0U", R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["autoscaling:DescribeAutoScalingGroups","autoscaling:UpdateAutoScalingGroup","ec2:AttachVolume","ec2:AuthorizeSecurityGroupIngress","ec2:CreateRoute","ec2:CreateSecurityGroup","ec2:CreateTags","ec2:CreateVolume","ec2:DeleteRoute","ec2:DeleteSecurityGroup","ec2:DeleteVolume","ec2:Describe*","ec2:DetachVolume","ec2:ModifyInstanceAttribute","ec2:ModifyVolume","ec2:RevokeSecurityGroupIngress","elasticloadbalancing:*","iam:CreateServiceLinkedRole","kms:DescribeKey"],"Resource":"*"}]})json"},
                      {"AmazonEKSServicePolicy", "/", "ANPAWDJ803CR7KDN9OS1O",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:CreateNetworkInterfacePermission","ec2:DeleteNetworkInterface","ec2:DescribeInstances","ec2:DescribeNetworkInterfaces","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVpcs","ec2:ModifyNetworkInterfaceAttribute","iam:ListAttachedRolePolicies","eks:UpdateClusterVersion"],"Resource":"*"}]})json"},
                      {"AmazonEKSVPCResourceController", "/", "ANPA3ZDCMGL6NYOSQ3NAT",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:CreateNetworkInterfacePermission","ec2:AssignPrivateIpAddresses","ec2:AttachNetworkInterface","ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface","ec2:DescribeInstances","ec2:DescribeInstanceTypes","ec2:DescribeNetworkInterfaces","ec2:DescribeSubnets","ec2:DescribeVpcs","ec2:DetachNetworkInterface","ec2:ModifyNetworkInterfaceAttribute","ec2:UnassignPrivateIpAddresses"],"Resource":"*"}]})json"},
                      {"AmazonEKSWorkerNodePolicy", "/", "ANPAMD2ZPR6PLWWMUNFPO",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstances","ec2:DescribeInstanceTypes","ec2:DescribeRouteTables","ec2:DescribeSecurityGroups","ec2:DescribeSubnets","ec2:DescribeVolumes","ec2:DescribeVolumesModifications","ec2:DescribeVpcs","eks:DescribeCluster","eks-auth:AssumeRoleForPodIdentity"],"Resource":"*"}]})json"},
                      {"AmazonS3ReadOnlyAccess", "/", "ANPAS32XQM1OIS960DQPC",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","s3:Describe*","s3-object-lambda:Get*","s3-object-lambda:List*"],"Resource":"*"}]})json"},
                      {"AmazonSSMManagedInstanceCore", "/", "ANPABEU4JZGN1VG6QLSDW",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeAssociation","ssm:GetDeployablePatchSnapshotForInstance","ssm:GetDocument","ssm:DescribeDocument","ssm:GetManifest","ssm:GetParameter","ssm:GetParameters","ssm:ListAssociations","ssm:ListInstanceAssociations","ssm:PutInventory","ssm:PutComplianceItems","ssm:PutConfigurePackageResult","ssm:UpdateAssociationStatus","ssm:UpdateInstanceAssociationStatus","ssm:UpdateInstanceInformation"],"Resource":"*"},{"Effect":"Allow","Action":["ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel"],"Resource":"*"},{"Effect":"Allow","Action":["ec2messages:AcknowledgeMessage","ec2messages:DeleteMessage","ec2messages:FailMessage","ec2messages:GetEndpoint","ec2messages:GetMessages","ec2messages:SendReply"],"Resource":"*"}]})json"},
                      {"AWSLambdaBasicExecutionRole", "/service-role/", "ANPAULOL1IGX6A6DR1VXQ",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]})json"},
                      {"AWSLambdaVPCAccessExecutionRole", "/service-role/", "ANPAVYHM6NSQ0QL89C21F",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents","ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DescribeSubnets","ec2:DeleteNetworkInterface","ec2:AssignPrivateIpAddresses","ec2:UnassignPrivateIpAddresses"],"Resource":"*"}]})json"},
                      {"CloudWatchAgentServerPolicy", "/", "ANPA99DQ3TLW8T8CCJ7TX", R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudwatch:PutMetricData","ec2:DescribeVolumes","ec2:DescribeTags","logs:PutLogEvents","logs:PutRetentionPolicy","logs:DescribeLogStreams","logs:DescribeLogGroups","logs:CreateLogStream","logs:CreateLogGroup"],"Resource":"*"},{"Effect":"Allow","Action":["ssm:GetParameter"],"Resource":"arn:aws:ssm:*:*:parameter/AmazonCloudWatch-*"}]})json"},
                      {"ReadOnlyAccess", "/", "ANPA6ZU8Q8VNK49MBN63B",
                       R"json({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","iam:Get*","iam:List*","s3:Get*","s3:List*","kms:Describe*","kms:List*","dynamodb:Describe*","dynamodb:List*","lambda:Get*","lambda:List*","logs:Describe*","logs:Get*"],"Resource":"*"}]})json"},
                  };
  return *kPolicies;
}

const AwsManagedPolicy* FindAwsManagedPolicy(std::string_view arn) {
  for (const AwsManagedPolicy& policy : AwsManagedPolicies()) {
    if (AwsManagedPolicyArn(policy) == arn) {
      return &policy;
    }
  }
  return nullptr;
}

std::string AwsManagedPolicyArn(const AwsManagedPolicy& policy) {
  return "arn:aws:iam::aws:policy" + std::string(policy.path) + std::string(policy.name);
}

}  // namespace cf::cloud::iam
