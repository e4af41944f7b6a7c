#include "provider/iam_actions_table.h"

namespace cf::provider {

// The table behind iam_actions.h, one block per type:
//
//   resource TYPE [passrole=ATTR,...]     (or: data TYPE)
//     RESOURCE ACTION ACTION ...
//
// RESOURCE is "*" or an ARN pattern: {p} partition, {r} region, {a} account, {ATTR} a string
// attribute of the instance, {dep:TYPE.ATTR} that attribute of each instance of TYPE it depends
// on, alternatives separated by "|" (the first that resolves wins; nothing resolves: "*").
// A RESOURCE starting with "?" applies only when the first slot's attribute is set.
// passrole: when one of those attributes is set, iam:PassRole on the roles it names.
// passto: the service those roles are handed to, pinned with iam:PassedToService (only where
// AWS documents the key for that call: EC2 instances, Lambda, Step Functions, EventBridge
// targets, EKS clusters).
std::string_view IamActionsTable() {
  return R"(
resource aws_vpc
  * ec2:CreateVpc ec2:DescribeVpcs ec2:DescribeVpcAttribute ec2:ModifyVpcAttribute ec2:DeleteVpc ec2:CreateTags ec2:DeleteTags ec2:DescribeNetworkAcls ec2:DescribeRouteTables ec2:DescribeSecurityGroups
resource aws_subnet
  * ec2:CreateSubnet ec2:DescribeSubnets ec2:ModifySubnetAttribute ec2:DeleteSubnet ec2:CreateTags ec2:DeleteTags ec2:DescribeNetworkInterfaces
resource aws_internet_gateway
  * ec2:CreateInternetGateway ec2:AttachInternetGateway ec2:DescribeInternetGateways ec2:DetachInternetGateway ec2:DeleteInternetGateway ec2:CreateTags ec2:DeleteTags
resource aws_nat_gateway
  * ec2:CreateNatGateway ec2:DescribeNatGateways ec2:DeleteNatGateway ec2:CreateTags ec2:DeleteTags
resource aws_eip
  * ec2:AllocateAddress ec2:DescribeAddresses ec2:DescribeAddressesAttribute ec2:DisassociateAddress ec2:ReleaseAddress ec2:CreateTags ec2:DeleteTags
resource aws_route_table
  * ec2:CreateRouteTable ec2:DescribeRouteTables ec2:CreateRoute ec2:ReplaceRoute ec2:DeleteRoute ec2:DeleteRouteTable ec2:CreateTags ec2:DeleteTags
resource aws_route_table_association
  * ec2:AssociateRouteTable ec2:DescribeRouteTables ec2:ReplaceRouteTableAssociation ec2:DisassociateRouteTable
resource aws_route
  * ec2:CreateRoute ec2:DescribeRouteTables ec2:ReplaceRoute ec2:DeleteRoute
resource aws_security_group
  * ec2:CreateSecurityGroup ec2:DescribeSecurityGroups ec2:DescribeSecurityGroupRules ec2:AuthorizeSecurityGroupIngress ec2:AuthorizeSecurityGroupEgress ec2:RevokeSecurityGroupIngress ec2:RevokeSecurityGroupEgress ec2:UpdateSecurityGroupRuleDescriptionsIngress ec2:UpdateSecurityGroupRuleDescriptionsEgress ec2:DeleteSecurityGroup ec2:DescribeNetworkInterfaces ec2:CreateTags ec2:DeleteTags
resource aws_default_security_group
  * ec2:DescribeSecurityGroups ec2:DescribeSecurityGroupRules ec2:AuthorizeSecurityGroupIngress ec2:AuthorizeSecurityGroupEgress ec2:RevokeSecurityGroupIngress ec2:RevokeSecurityGroupEgress ec2:CreateTags ec2:DeleteTags
resource aws_security_group_rule
  * ec2:AuthorizeSecurityGroupIngress ec2:AuthorizeSecurityGroupEgress ec2:DescribeSecurityGroups ec2:DescribeSecurityGroupRules ec2:RevokeSecurityGroupIngress ec2:RevokeSecurityGroupEgress ec2:UpdateSecurityGroupRuleDescriptionsIngress ec2:UpdateSecurityGroupRuleDescriptionsEgress
resource aws_vpc_security_group_ingress_rule
  * ec2:AuthorizeSecurityGroupIngress ec2:DescribeSecurityGroupRules ec2:ModifySecurityGroupRules ec2:RevokeSecurityGroupIngress ec2:CreateTags ec2:DeleteTags
resource aws_vpc_security_group_egress_rule
  * ec2:AuthorizeSecurityGroupEgress ec2:DescribeSecurityGroupRules ec2:ModifySecurityGroupRules ec2:RevokeSecurityGroupEgress ec2:CreateTags ec2:DeleteTags
resource aws_vpc_endpoint
  * ec2:CreateVpcEndpoint ec2:DescribeVpcEndpoints ec2:DescribeVpcEndpointServices ec2:DescribePrefixLists ec2:ModifyVpcEndpoint ec2:DeleteVpcEndpoints ec2:CreateTags ec2:DeleteTags
resource aws_vpc_endpoint_service
  * ec2:CreateVpcEndpointServiceConfiguration ec2:DescribeVpcEndpointServiceConfigurations ec2:ModifyVpcEndpointServiceConfiguration ec2:DeleteVpcEndpointServiceConfigurations ec2:DescribeVpcEndpointServicePermissions ec2:ModifyVpcEndpointServicePermissions ec2:DescribeVpcEndpointConnections ec2:CreateTags ec2:DeleteTags elasticloadbalancing:DescribeLoadBalancers
resource aws_flow_log
  * ec2:CreateFlowLogs ec2:DescribeFlowLogs ec2:DeleteFlowLogs ec2:CreateTags ec2:DeleteTags logs:CreateLogDelivery logs:DeleteLogDelivery
  arn:{p}:s3:::{dep:aws_s3_bucket.bucket} s3:GetBucketPolicy s3:PutBucketPolicy
resource aws_key_pair
  * ec2:ImportKeyPair ec2:DescribeKeyPairs ec2:DeleteKeyPair ec2:CreateTags ec2:DeleteTags
resource aws_placement_group
  * ec2:CreatePlacementGroup ec2:DescribePlacementGroups ec2:DeletePlacementGroup ec2:CreateTags ec2:DeleteTags
resource aws_launch_template passrole=iam_instance_profile passto=ec2.amazonaws.com
  * ec2:CreateLaunchTemplate ec2:DescribeLaunchTemplates ec2:DescribeLaunchTemplateVersions ec2:CreateLaunchTemplateVersion ec2:ModifyLaunchTemplate ec2:DeleteLaunchTemplate ec2:CreateTags ec2:DeleteTags
resource aws_autoscaling_group passrole=launch_template
  * autoscaling:DescribeAutoScalingGroups autoscaling:DescribeScalingActivities autoscaling:DescribeLoadBalancerTargetGroups autoscaling:DescribeTrafficSources ec2:DescribeLaunchTemplateVersions ec2:RunInstances ec2:CreateTags ec2:DescribeInstances elasticloadbalancing:DescribeTargetHealth
  arn:{p}:autoscaling:{r}:{a}:autoScalingGroup:*:autoScalingGroupName/{name} autoscaling:CreateAutoScalingGroup autoscaling:UpdateAutoScalingGroup autoscaling:DeleteAutoScalingGroup autoscaling:CreateOrUpdateTags autoscaling:DeleteTags autoscaling:SuspendProcesses autoscaling:ResumeProcesses autoscaling:SetInstanceProtection autoscaling:AttachLoadBalancerTargetGroups autoscaling:DetachLoadBalancerTargetGroups autoscaling:EnableMetricsCollection autoscaling:DisableMetricsCollection
  arn:{p}:iam::{a}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling iam:CreateServiceLinkedRole
resource aws_instance passrole=iam_instance_profile passto=ec2.amazonaws.com
  * ec2:RunInstances ec2:DescribeInstances ec2:DescribeInstanceAttribute ec2:DescribeInstanceTypes ec2:DescribeInstanceCreditSpecifications ec2:DescribeVolumes ec2:DescribeNetworkInterfaces ec2:DescribeTags ec2:ModifyInstanceAttribute ec2:ModifyInstanceMetadataOptions ec2:StopInstances ec2:StartInstances ec2:TerminateInstances ec2:CreateTags ec2:DeleteTags
resource aws_iam_role
  arn:{p}:iam::{a}:role/{name} iam:CreateRole iam:GetRole iam:UpdateRole iam:UpdateAssumeRolePolicy iam:DeleteRole iam:TagRole iam:UntagRole iam:ListRolePolicies iam:ListAttachedRolePolicies iam:ListInstanceProfilesForRole iam:DeleteRolePolicy iam:DetachRolePolicy
resource aws_iam_policy
  arn:{p}:iam::{a}:policy/{name} iam:CreatePolicy iam:GetPolicy iam:GetPolicyVersion iam:ListPolicyVersions iam:CreatePolicyVersion iam:DeletePolicyVersion iam:DeletePolicy iam:TagPolicy iam:UntagPolicy iam:ListEntitiesForPolicy
resource aws_iam_role_policy
  arn:{p}:iam::{a}:role/{role|dep:aws_iam_role.name} iam:PutRolePolicy iam:GetRolePolicy iam:DeleteRolePolicy
resource aws_iam_role_policy_attachment
  arn:{p}:iam::{a}:role/{role|dep:aws_iam_role.name} iam:AttachRolePolicy iam:DetachRolePolicy iam:ListAttachedRolePolicies
resource aws_iam_instance_profile passrole=role
  arn:{p}:iam::{a}:instance-profile/{name} iam:CreateInstanceProfile iam:GetInstanceProfile iam:AddRoleToInstanceProfile iam:RemoveRoleFromInstanceProfile iam:DeleteInstanceProfile iam:TagInstanceProfile iam:UntagInstanceProfile
resource aws_iam_openid_connect_provider
  arn:{p}:iam::{a}:oidc-provider/* iam:CreateOpenIDConnectProvider iam:GetOpenIDConnectProvider iam:UpdateOpenIDConnectProviderThumbprint iam:AddClientIDToOpenIDConnectProvider iam:RemoveClientIDFromOpenIDConnectProvider iam:DeleteOpenIDConnectProvider iam:TagOpenIDConnectProvider iam:UntagOpenIDConnectProvider
resource aws_kms_key
  * kms:CreateKey kms:ListAliases kms:ListKeys
  arn:{p}:kms:{r}:{a}:key/* kms:DescribeKey kms:GetKeyPolicy kms:PutKeyPolicy kms:GetKeyRotationStatus kms:EnableKeyRotation kms:DisableKeyRotation kms:ListResourceTags kms:TagResource kms:UntagResource kms:UpdateKeyDescription kms:EnableKey kms:DisableKey kms:ScheduleKeyDeletion
resource aws_kms_alias
  * kms:ListAliases
  arn:{p}:kms:{r}:{a}:{name} kms:CreateAlias kms:UpdateAlias kms:DeleteAlias
  arn:{p}:kms:{r}:{a}:key/* kms:CreateAlias kms:UpdateAlias kms:DeleteAlias
resource aws_lb
  * elasticloadbalancing:DescribeLoadBalancers elasticloadbalancing:DescribeLoadBalancerAttributes elasticloadbalancing:DescribeTags ec2:DescribeSubnets ec2:DescribeSecurityGroups ec2:DescribeVpcs ec2:DescribeInternetGateways ec2:DescribeAccountAttributes ec2:DescribeNetworkInterfaces
  arn:{p}:elasticloadbalancing:{r}:{a}:loadbalancer/*/{name}/* elasticloadbalancing:CreateLoadBalancer elasticloadbalancing:ModifyLoadBalancerAttributes elasticloadbalancing:SetSubnets elasticloadbalancing:SetSecurityGroups elasticloadbalancing:DeleteLoadBalancer elasticloadbalancing:AddTags elasticloadbalancing:RemoveTags
  arn:{p}:iam::{a}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing iam:CreateServiceLinkedRole
resource aws_lb_target_group
  * elasticloadbalancing:DescribeTargetGroups elasticloadbalancing:DescribeTargetGroupAttributes elasticloadbalancing:DescribeTags
  arn:{p}:elasticloadbalancing:{r}:{a}:targetgroup/{name}/* elasticloadbalancing:CreateTargetGroup elasticloadbalancing:ModifyTargetGroup elasticloadbalancing:ModifyTargetGroupAttributes elasticloadbalancing:DeleteTargetGroup elasticloadbalancing:AddTags elasticloadbalancing:RemoveTags
resource aws_lb_listener
  * elasticloadbalancing:DescribeListeners elasticloadbalancing:DescribeListenerAttributes elasticloadbalancing:DescribeTags
  arn:{p}:elasticloadbalancing:{r}:{a}:loadbalancer/*/{dep:aws_lb.name}/* elasticloadbalancing:CreateListener elasticloadbalancing:AddTags
  arn:{p}:elasticloadbalancing:{r}:{a}:listener/*/{dep:aws_lb.name}/* elasticloadbalancing:CreateListener elasticloadbalancing:ModifyListener elasticloadbalancing:DeleteListener elasticloadbalancing:AddTags elasticloadbalancing:RemoveTags
resource aws_acm_certificate
  * acm:ImportCertificate acm:RequestCertificate acm:ListCertificates
  arn:{p}:acm:{r}:{a}:certificate/* acm:DescribeCertificate acm:GetCertificate acm:ListTagsForCertificate acm:AddTagsToCertificate acm:RemoveTagsFromCertificate acm:ImportCertificate acm:DeleteCertificate
resource aws_acm_certificate_validation
  arn:{p}:acm:{r}:{a}:certificate/* acm:DescribeCertificate
resource aws_kms_grant
  arn:{p}:kms:{r}:{a}:key/* kms:CreateGrant kms:ListGrants kms:RetireGrant kms:RevokeGrant
resource aws_lb_target_group_attachment
  * elasticloadbalancing:DescribeTargetHealth
  arn:{p}:elasticloadbalancing:{r}:{a}:targetgroup/*/* elasticloadbalancing:RegisterTargets elasticloadbalancing:DeregisterTargets
resource aws_autoscaling_attachment
  * autoscaling:DescribeAutoScalingGroups autoscaling:DescribeLoadBalancerTargetGroups autoscaling:DescribeTrafficSources
  arn:{p}:autoscaling:{r}:{a}:autoScalingGroup:*:autoScalingGroupName/{autoscaling_group_name|dep:aws_autoscaling_group.name} autoscaling:AttachLoadBalancerTargetGroups autoscaling:DetachLoadBalancerTargetGroups autoscaling:AttachTrafficSources autoscaling:DetachTrafficSources
resource aws_route53_zone
  * route53:CreateHostedZone route53:ListHostedZones route53:GetChange ec2:DescribeVpcs
  arn:{p}:route53:::hostedzone/* route53:GetHostedZone route53:UpdateHostedZoneComment route53:DeleteHostedZone route53:ListResourceRecordSets route53:ChangeResourceRecordSets route53:ListTagsForResource route53:ChangeTagsForResource route53:AssociateVPCWithHostedZone route53:DisassociateVPCFromHostedZone
resource aws_route53_record
  arn:{p}:route53:::hostedzone/{zone_id} route53:ChangeResourceRecordSets route53:ListResourceRecordSets route53:GetHostedZone
  arn:{p}:route53:::change/* route53:GetChange
resource aws_dynamodb_table
  arn:{p}:dynamodb:{r}:{a}:table/{name} dynamodb:CreateTable dynamodb:DescribeTable dynamodb:UpdateTable dynamodb:DeleteTable dynamodb:DescribeContinuousBackups dynamodb:UpdateContinuousBackups dynamodb:DescribeTimeToLive dynamodb:UpdateTimeToLive dynamodb:ListTagsOfResource dynamodb:TagResource dynamodb:UntagResource
resource aws_dynamodb_table_item
  arn:{p}:dynamodb:{r}:{a}:table/{table_name|dep:aws_dynamodb_table.name} dynamodb:PutItem dynamodb:GetItem dynamodb:DeleteItem
resource aws_secretsmanager_secret
  arn:{p}:secretsmanager:{r}:{a}:secret:{name}-?????? secretsmanager:CreateSecret secretsmanager:DescribeSecret secretsmanager:GetResourcePolicy secretsmanager:UpdateSecret secretsmanager:DeleteSecret secretsmanager:TagResource secretsmanager:UntagResource
resource aws_secretsmanager_secret_version
  arn:{p}:secretsmanager:{r}:{a}:secret:{dep:aws_secretsmanager_secret.name}-?????? secretsmanager:PutSecretValue secretsmanager:GetSecretValue secretsmanager:DescribeSecret secretsmanager:UpdateSecretVersionStage
resource aws_lambda_function passrole=role passto=lambda.amazonaws.com
  * ec2:DescribeSecurityGroups ec2:DescribeSubnets ec2:DescribeVpcs
  arn:{p}:lambda:{r}:{a}:function:{function_name} lambda:CreateFunction lambda:GetFunction lambda:GetFunctionConfiguration lambda:GetFunctionCodeSigningConfig lambda:ListVersionsByFunction lambda:UpdateFunctionCode lambda:UpdateFunctionConfiguration lambda:DeleteFunction lambda:TagResource lambda:UntagResource lambda:ListTags
  ?arn:{p}:s3:::{s3_bucket}/{s3_key} s3:GetObject
resource aws_lambda_permission
  arn:{p}:lambda:{r}:{a}:function:{function_name|dep:aws_lambda_function.function_name} lambda:AddPermission lambda:RemovePermission lambda:GetPolicy
resource aws_cloudwatch_log_group
  * logs:DescribeLogGroups
  arn:{p}:logs:{r}:{a}:log-group:{name} logs:CreateLogGroup logs:DeleteLogGroup logs:PutRetentionPolicy logs:DeleteRetentionPolicy logs:AssociateKmsKey logs:DisassociateKmsKey logs:TagResource logs:UntagResource logs:ListTagsForResource
  arn:{p}:logs:{r}:{a}:log-group:{name}:* logs:CreateLogGroup logs:DeleteLogGroup logs:PutRetentionPolicy logs:DeleteRetentionPolicy logs:AssociateKmsKey logs:DisassociateKmsKey logs:TagResource logs:UntagResource logs:ListTagsForResource
resource aws_sfn_state_machine passrole=role_arn passto=states.amazonaws.com
  * logs:CreateLogDelivery logs:GetLogDelivery logs:UpdateLogDelivery logs:DeleteLogDelivery logs:ListLogDeliveries logs:PutResourcePolicy logs:DescribeResourcePolicies logs:DescribeLogGroups
  arn:{p}:states:{r}:{a}:stateMachine:{name} states:CreateStateMachine states:DescribeStateMachine states:UpdateStateMachine states:DeleteStateMachine states:ListStateMachineVersions states:TagResource states:UntagResource states:ListTagsForResource
resource aws_cloudwatch_event_rule
  arn:{p}:events:{r}:{a}:rule/{name} events:PutRule events:DescribeRule events:EnableRule events:DisableRule events:DeleteRule events:ListTargetsByRule events:TagResource events:UntagResource events:ListTagsForResource
resource aws_cloudwatch_event_target passrole=role_arn passto=events.amazonaws.com
  arn:{p}:events:{r}:{a}:rule/{rule} events:PutTargets events:RemoveTargets events:ListTargetsByRule
resource aws_s3_bucket
  arn:{p}:s3:::{bucket} s3:CreateBucket s3:DeleteBucket s3:ListBucket s3:GetBucketLocation s3:GetBucketTagging s3:PutBucketTagging s3:GetBucketPolicy s3:GetBucketAcl s3:GetBucketCORS s3:GetBucketWebsite s3:GetBucketVersioning s3:GetAccelerateConfiguration s3:GetBucketRequestPayment s3:GetBucketLogging s3:GetLifecycleConfiguration s3:GetReplicationConfiguration s3:GetEncryptionConfiguration s3:GetBucketObjectLockConfiguration
resource aws_s3_bucket_versioning
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutBucketVersioning s3:GetBucketVersioning
resource aws_s3_bucket_server_side_encryption_configuration
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutEncryptionConfiguration s3:GetEncryptionConfiguration
resource aws_s3_bucket_public_access_block
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutBucketPublicAccessBlock s3:GetBucketPublicAccessBlock
resource aws_s3_bucket_policy
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutBucketPolicy s3:GetBucketPolicy s3:DeleteBucketPolicy
resource aws_s3_bucket_notification
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutBucketNotification s3:GetBucketNotification
resource aws_s3_bucket_ownership_controls
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutBucketOwnershipControls s3:GetBucketOwnershipControls
resource aws_s3_bucket_lifecycle_configuration
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutLifecycleConfiguration s3:GetLifecycleConfiguration
resource aws_s3_bucket_cors_configuration
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutBucketCORS s3:GetBucketCORS
resource aws_s3_bucket_acl
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutBucketAcl s3:GetBucketAcl
resource aws_s3_bucket_logging
  arn:{p}:s3:::{bucket|dep:aws_s3_bucket.bucket} s3:PutBucketLogging s3:GetBucketLogging
resource aws_sqs_queue
  arn:{p}:sqs:{r}:{a}:{name} sqs:CreateQueue sqs:GetQueueUrl sqs:GetQueueAttributes sqs:SetQueueAttributes sqs:DeleteQueue sqs:TagQueue sqs:UntagQueue sqs:ListQueueTags
resource aws_sqs_queue_policy
  arn:{p}:sqs:{r}:{a}:{dep:aws_sqs_queue.name} sqs:SetQueueAttributes sqs:GetQueueAttributes
resource aws_rds_cluster
  * rds:DescribeDBClusters
  arn:{p}:rds:{r}:{a}:cluster:{cluster_identifier} rds:CreateDBCluster rds:ModifyDBCluster rds:DeleteDBCluster rds:AddTagsToResource rds:RemoveTagsFromResource rds:ListTagsForResource
  arn:{p}:rds:{r}:{a}:cluster-pg:* rds:CreateDBCluster rds:ModifyDBCluster
  arn:{p}:rds:{r}:{a}:subgrp:* rds:CreateDBCluster
  arn:{p}:kms:{r}:{a}:key/* kms:DescribeKey kms:CreateGrant
  arn:{p}:iam::{a}:role/aws-service-role/rds.amazonaws.com/AWSServiceRoleForRDS iam:CreateServiceLinkedRole
resource aws_rds_cluster_instance
  * rds:DescribeDBInstances rds:DescribeDBClusters
  arn:{p}:rds:{r}:{a}:db:{identifier} rds:CreateDBInstance rds:ModifyDBInstance rds:DeleteDBInstance rds:AddTagsToResource rds:RemoveTagsFromResource rds:ListTagsForResource
  arn:{p}:rds:{r}:{a}:cluster:{cluster_identifier|dep:aws_rds_cluster.cluster_identifier} rds:CreateDBInstance
  arn:{p}:rds:{r}:{a}:pg:* rds:CreateDBInstance rds:ModifyDBInstance
  arn:{p}:rds:{r}:{a}:subgrp:* rds:CreateDBInstance
resource aws_rds_cluster_parameter_group
  * rds:DescribeDBClusterParameterGroups
  arn:{p}:rds:{r}:{a}:cluster-pg:{name} rds:CreateDBClusterParameterGroup rds:DescribeDBClusterParameters rds:ModifyDBClusterParameterGroup rds:ResetDBClusterParameterGroup rds:DeleteDBClusterParameterGroup rds:AddTagsToResource rds:RemoveTagsFromResource rds:ListTagsForResource
resource aws_db_parameter_group
  * rds:DescribeDBParameterGroups
  arn:{p}:rds:{r}:{a}:pg:{name} rds:CreateDBParameterGroup rds:DescribeDBParameters rds:ModifyDBParameterGroup rds:ResetDBParameterGroup rds:DeleteDBParameterGroup rds:AddTagsToResource rds:RemoveTagsFromResource rds:ListTagsForResource
resource aws_db_subnet_group
  * rds:DescribeDBSubnetGroups
  arn:{p}:rds:{r}:{a}:subgrp:{name} rds:CreateDBSubnetGroup rds:ModifyDBSubnetGroup rds:DeleteDBSubnetGroup rds:AddTagsToResource rds:RemoveTagsFromResource rds:ListTagsForResource
resource aws_elasticache_replication_group
  * elasticache:DescribeReplicationGroups elasticache:DescribeCacheClusters
  arn:{p}:elasticache:{r}:{a}:replicationgroup:{replication_group_id} elasticache:CreateReplicationGroup elasticache:ModifyReplicationGroup elasticache:DeleteReplicationGroup elasticache:AddTagsToResource elasticache:RemoveTagsFromResource elasticache:ListTagsForResource
  arn:{p}:elasticache:{r}:{a}:cluster:{replication_group_id}-* elasticache:CreateReplicationGroup elasticache:AddTagsToResource elasticache:ListTagsForResource
  arn:{p}:elasticache:{r}:{a}:subnetgroup:* elasticache:CreateReplicationGroup
  arn:{p}:elasticache:{r}:{a}:parametergroup:* elasticache:CreateReplicationGroup elasticache:ModifyReplicationGroup
  arn:{p}:kms:{r}:{a}:key/* kms:DescribeKey kms:CreateGrant
  arn:{p}:iam::{a}:role/aws-service-role/elasticache.amazonaws.com/AWSServiceRoleForElastiCache iam:CreateServiceLinkedRole
resource aws_elasticache_subnet_group
  * elasticache:DescribeCacheSubnetGroups
  arn:{p}:elasticache:{r}:{a}:subnetgroup:{name} elasticache:CreateCacheSubnetGroup elasticache:ModifyCacheSubnetGroup elasticache:DeleteCacheSubnetGroup elasticache:AddTagsToResource elasticache:RemoveTagsFromResource elasticache:ListTagsForResource
resource aws_eks_cluster passrole=role_arn passto=eks.amazonaws.com
  * ec2:DescribeSubnets ec2:DescribeSecurityGroups ec2:DescribeVpcs
  arn:{p}:eks:{r}:{a}:cluster/{name} eks:CreateCluster eks:DescribeCluster eks:DescribeUpdate eks:UpdateClusterConfig eks:UpdateClusterVersion eks:DeleteCluster eks:TagResource eks:UntagResource eks:ListTagsForResource
  arn:{p}:iam::{a}:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS iam:CreateServiceLinkedRole
resource aws_eks_node_group passrole=node_role_arn
  * ec2:DescribeSubnets ec2:DescribeLaunchTemplateVersions
  arn:{p}:eks:{r}:{a}:cluster/{cluster_name} eks:CreateNodegroup
  arn:{p}:eks:{r}:{a}:nodegroup/{cluster_name}/{node_group_name}/* eks:CreateNodegroup eks:DescribeNodegroup eks:DescribeUpdate eks:UpdateNodegroupConfig eks:UpdateNodegroupVersion eks:DeleteNodegroup eks:TagResource eks:UntagResource
  arn:{p}:iam::{a}:role/aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup iam:CreateServiceLinkedRole
resource aws_eks_addon passrole=service_account_role_arn
  * eks:DescribeAddonVersions
  arn:{p}:eks:{r}:{a}:cluster/{cluster_name} eks:CreateAddon
  arn:{p}:eks:{r}:{a}:addon/{cluster_name}/{addon_name}/* eks:CreateAddon eks:DescribeAddon eks:DescribeUpdate eks:UpdateAddon eks:DeleteAddon eks:TagResource eks:UntagResource
resource aws_eks_access_entry
  arn:{p}:eks:{r}:{a}:cluster/{cluster_name} eks:CreateAccessEntry
  arn:{p}:eks:{r}:{a}:access-entry/{cluster_name}/* eks:CreateAccessEntry eks:DescribeAccessEntry eks:UpdateAccessEntry eks:DeleteAccessEntry eks:TagResource eks:UntagResource
resource aws_eks_access_policy_association
  arn:{p}:eks:{r}:{a}:access-entry/{cluster_name}/* eks:AssociateAccessPolicy eks:DisassociateAccessPolicy eks:ListAssociatedAccessPolicies
resource aws_efs_file_system
  * elasticfilesystem:DescribeFileSystems
  arn:{p}:elasticfilesystem:{r}:{a}:file-system/* elasticfilesystem:CreateFileSystem elasticfilesystem:UpdateFileSystem elasticfilesystem:DeleteFileSystem elasticfilesystem:DescribeLifecycleConfiguration elasticfilesystem:PutLifecycleConfiguration elasticfilesystem:TagResource elasticfilesystem:UntagResource elasticfilesystem:ListTagsForResource
  arn:{p}:iam::{a}:role/aws-service-role/elasticfilesystem.amazonaws.com/AWSServiceRoleForAmazonElasticFileSystem iam:CreateServiceLinkedRole
resource aws_efs_backup_policy
  arn:{p}:elasticfilesystem:{r}:{a}:file-system/* elasticfilesystem:PutBackupPolicy elasticfilesystem:DescribeBackupPolicy
resource aws_efs_mount_target
  * elasticfilesystem:DescribeMountTargets ec2:DescribeSubnets ec2:DescribeNetworkInterfaces ec2:CreateNetworkInterface
  arn:{p}:elasticfilesystem:{r}:{a}:file-system/* elasticfilesystem:CreateMountTarget elasticfilesystem:DescribeMountTargetSecurityGroups elasticfilesystem:ModifyMountTargetSecurityGroups elasticfilesystem:DeleteMountTarget
data aws_availability_zones
  * ec2:DescribeAvailabilityZones
data aws_route_table
  * ec2:DescribeRouteTables
data aws_ami
  * ec2:DescribeImages
data aws_vpc
  * ec2:DescribeVpcs
data aws_subnet
  * ec2:DescribeSubnets
data aws_subnets
  * ec2:DescribeSubnets
data aws_security_group
  * ec2:DescribeSecurityGroups
data aws_route53_zone
  * route53:ListHostedZones route53:GetHostedZone
data aws_eks_cluster
  arn:{p}:eks:{r}:{a}:cluster/{name} eks:DescribeCluster
data aws_eks_addon_version
  * eks:DescribeAddonVersions
data aws_vpc_endpoint_service
  * ec2:DescribeVpcEndpointServices
data aws_iam_role
  arn:{p}:iam::{a}:role/{name} iam:GetRole
data aws_kms_key
  arn:{p}:kms:{r}:{a}:key/* kms:DescribeKey
data aws_secretsmanager_secret
  * secretsmanager:ListSecrets
  arn:{p}:secretsmanager:{r}:{a}:secret:{name}-?????? secretsmanager:DescribeSecret
data aws_ssm_parameter
  arn:{p}:ssm:{r}:{a}:parameter/* ssm:GetParameter
data aws_region
data aws_partition
data aws_caller_identity
data aws_iam_policy_document
data aws_eks_cluster_auth
data aws_default_tags
)";
}

}  // namespace cf::provider
