# EKS cluster "<ns>" in the private subnets: its IAM role, security groups, control-plane log
# group, IRSA OIDC provider, one managed AL2023 node group per zone with its launch template,
# the node role and its policies, addons, access entries, the Weave EFS file system and the
# weave-worker-auth secret.

locals {
  cluster_name = local.ns
  oidc_issuer  = aws_eks_cluster.this.identity[0].oidc[0].issuer
  oidc_host    = replace(local.oidc_issuer, "https://", "")

  # AWS-managed policies by name, with their path: the two CSI driver policies live under
  # service-role/ (arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy).
  node_managed_policies = {
    AmazonEKSWorkerNodePolicy          = "AmazonEKSWorkerNodePolicy"
    AmazonEKS_CNI_Policy               = "AmazonEKS_CNI_Policy"
    AmazonEC2ContainerRegistryReadOnly = "AmazonEC2ContainerRegistryReadOnly"
    AmazonEBSCSIDriverPolicy           = "service-role/AmazonEBSCSIDriverPolicy"
    AmazonEFSCSIDriverPolicy           = "service-role/AmazonEFSCSIDriverPolicy"
  }

  # Keys this deployment's data is encrypted with (the node role may use them).
  data_kms_key_arns = distinct([aws_kms_key.this.arn, local.bucket_kms_key_arn])

  # Cross-account buckets the nodes may use (bucket_permissions_mode).
  cross_account_statements = {
    strict = []
    public = [
      {
        Sid       = "CrossAccountBuckets"
        Effect    = "Allow"
        Action    = "s3:*"
        Resource  = "*"
        Condition = { StringNotEquals = { "s3:ResourceAccount" = local.account_id } }
      },
      {
        Sid       = "CrossAccountBucketKeys"
        Effect    = "Allow"
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = { StringNotEquals = { "kms:ResourceAccount" = local.account_id } }
      },
    ]
    restricted = [
      {
        Sid       = "CrossAccountBuckets"
        Effect    = "Allow"
        Action    = "s3:*"
        Resource  = "*"
        Condition = { StringEquals = { "s3:ResourceAccount" = var.bucket_restricted_accounts } }
      },
      {
        Sid       = "CrossAccountBucketKeys"
        Effect    = "Allow"
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = { StringEquals = { "kms:ResourceAccount" = var.bucket_restricted_accounts } }
      },
    ]
  }

  node_policies = merge(
    {
      cloudwatch = {
        name = "${local.ns}-cloudwatch"
        statements = [{
          Effect   = "Allow"
          Action   = ["logs:Create*", "logs:Put*", "cloudwatch:PutMetricData"]
          Resource = "*"
        }]
      }
      IMDSv2 = {
        name = "${local.ns}-IMDSv2"
        statements = [{
          Effect   = "Allow"
          Action   = ["ec2:DescribeInstanceAttribute"]
          Resource = "*"
        }]
      }
      kms = {
        name = "${local.ns}-kms"
        statements = [{
          Effect   = "Allow"
          Action   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
          Resource = local.data_kms_key_arns
        }]
      }
      s3 = {
        name = "${local.ns}-s3"
        statements = concat(
          [{
            Effect   = "Allow"
            Action   = "s3:*"
            Resource = [local.bucket_arn, "${local.bucket_arn}/*"]
          }],
          local.cross_account_statements[var.bucket_permissions_mode],
        )
      }
      secrets-manager = {
        name = "${local.ns}-secrets-manager"
        statements = [{
          Effect = "Allow"
          Action = [
            "secretsmanager:CreateSecret",
            "secretsmanager:UpdateSecret",
            "secretsmanager:DeleteSecret",
            "secretsmanager:PutSecretValue",
            "secretsmanager:GetSecretValue",
            "secretsmanager:DeleteSecretVersion",
          ]
          Resource = "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:${local.ns}*"
        }]
      }
      weave-worker-auth-secret-reader = {
        name = "${local.ns}-weave-worker-auth-secret-reader"
        statements = [{
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
          Resource = aws_secretsmanager_secret.weave_worker_auth.arn
        }]
      }
    },
    local.use_internal_queue ? {} : {
      sqs = {
        name = "${local.ns}-sqs"
        statements = [{
          Effect   = "Allow"
          Action   = "sqs:*"
          Resource = aws_sqs_queue.file_storage[0].arn
        }]
      }
    },
  )

  eks_addons = {
    coredns              = var.eks_addon_coredns_version
    kube-proxy           = var.eks_addon_kube_proxy_version
    aws-ebs-csi-driver   = var.eks_addon_ebs_csi_driver_version
    aws-efs-csi-driver   = var.eks_addon_efs_csi_driver_version
    metrics-server       = var.eks_addon_metrics_server_version
  }

  # kubernetes_map_roles / kubernetes_map_users as access entries, keyed by user name. Groups
  # named system:* cannot be given to an access entry; system:masters becomes the cluster
  # admin access policy instead.
  access_entries = merge(
    { for r in var.kubernetes_map_roles : r.username => { principal_arn = r.rolearn, groups = r.groups } },
    { for u in var.kubernetes_map_users : u.username => { principal_arn = u.userarn, groups = u.groups } },
  )
  cluster_admin_entries = { for k, v in local.access_entries : k => v if contains(v.groups, "system:masters") }

  node_user_data = <<-EOT
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="//"

    --//
    Content-Type: application/node.eks.aws

    apiVersion: node.eks.aws/v1alpha1
    kind: NodeConfig
    spec:
      kubelet:
        config:
          systemReserved: ${jsonencode(local.system_reserved)}

    --//--
  EOT
}

# ---- Control plane ----

resource "aws_iam_role" "cluster" {
  name_prefix = local.ns
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  for_each = toset(["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"])

  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.key}"
}

# Envelope encryption of Kubernetes secrets with the module key.
resource "aws_iam_role_policy" "cluster_encryption" {
  name = "${local.ns}-cluster-encryption"
  role = aws_iam_role.cluster.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
      Resource = aws_kms_key.this.arn
    }]
  })
}

resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/${local.cluster_name}/cluster"
  retention_in_days = 30

  tags = local.tags
}

resource "aws_security_group" "cluster" {
  name_prefix = local.ns
  description = "EKS cluster security group."
  vpc_id      = local.vpc_id

  tags = merge(local.tags, { Name = "${local.ns}-cluster" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "node" {
  name_prefix = "${local.ns}-node"
  description = "EKS node shared security group"
  vpc_id      = local.vpc_id

  tags = merge(local.tags, {
    Name                                          = "${local.ns}-node"
    "kubernetes.io/cluster/${local.cluster_name}" = "owned"
  })

  lifecycle {
    create_before_destroy = true
  }
}

# Attached to every node in addition to the node security group: what the database, the cache,
# EFS and the load balancer allow.
resource "aws_security_group" "primary_workers" {
  name        = "${local.ns}-primary-workers"
  description = "EKS primary workers security group"
  vpc_id      = local.vpc_id

  tags = merge(local.tags, { Name = "${local.ns}-primary-workers" })
}

resource "aws_security_group_rule" "cluster_from_nodes" {
  type                     = "ingress"
  description              = "Kubernetes API from the nodes"
  security_group_id        = aws_security_group.cluster.id
  source_security_group_id = aws_security_group.node.id
  protocol                 = "tcp"
  from_port                = 443
  to_port                  = 443
}

resource "aws_security_group_rule" "node_from_cluster" {
  for_each = {
    api     = { description = "Cluster API to node groups", from = 443, to = 443 }
    kubelet = { description = "Cluster API to node kubelets", from = 10250, to = 10250 }
    webhook = { description = "Cluster API to node webhooks", from = 1025, to = 65535 }
  }

  type                     = "ingress"
  description              = each.value.description
  security_group_id        = aws_security_group.node.id
  source_security_group_id = aws_security_group.cluster.id
  protocol                 = "tcp"
  from_port                = each.value.from
  to_port                  = each.value.to
}

resource "aws_security_group_rule" "node_self" {
  type              = "ingress"
  description       = "Node to node, all traffic"
  security_group_id = aws_security_group.node.id
  self              = true
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
}

resource "aws_security_group_rule" "node_from_primary_workers" {
  type                     = "ingress"
  description              = "All traffic from the primary workers"
  security_group_id        = aws_security_group.node.id
  source_security_group_id = aws_security_group.primary_workers.id
  protocol                 = "-1"
  from_port                = 0
  to_port                  = 0
}

resource "aws_security_group_rule" "node_egress" {
  type              = "egress"
  description       = "Nodes to anywhere"
  security_group_id = aws_security_group.node.id
  cidr_blocks       = ["0.0.0.0/0"]
  ipv6_cidr_blocks  = ["::/0"]
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
}

# The load balancer reaches the W&B pods (target type ip) on the app port.
resource "aws_security_group_rule" "primary_workers_from_alb" {
  type                     = "ingress"
  description              = "W&B app from the load balancer"
  security_group_id        = aws_security_group.primary_workers.id
  source_security_group_id = aws_security_group.alb_inbound.id
  protocol                 = "tcp"
  from_port                = local.app_port
  to_port                  = local.app_port
}

resource "aws_security_group_rule" "primary_workers_egress" {
  type              = "egress"
  description       = "Primary workers to anywhere"
  security_group_id = aws_security_group.primary_workers.id
  cidr_blocks       = ["0.0.0.0/0"]
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
}

resource "aws_eks_cluster" "this" {
  name                          = local.cluster_name
  role_arn                      = aws_iam_role.cluster.arn
  version                       = var.eks_cluster_version
  enabled_cluster_log_types     = ["api", "audit", "controllerManager", "scheduler"]
  bootstrap_self_managed_addons = true

  vpc_config {
    subnet_ids              = local.private_subnet_ids
    security_group_ids      = [aws_security_group.cluster.id]
    endpoint_private_access = true
    endpoint_public_access  = var.kubernetes_public_access
    public_access_cidrs = (
      var.kubernetes_public_access && length(var.kubernetes_public_access_cidrs) > 0
      ? var.kubernetes_public_access_cidrs : null
    )
  }

  access_config {
    authentication_mode                         = "API_AND_CONFIG_MAP"
    bootstrap_cluster_creator_admin_permissions = !var.kubernetes_legacy_cluster_creator_admin
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = aws_kms_key.this.arn
    }
  }

  tags = merge(local.tags, var.eks_cluster_tags)

  depends_on = [
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.cluster_encryption,
    aws_cloudwatch_log_group.cluster,
  ]

  # An imported cluster (after an interrupted apply) reads this back differently, and a change
  # would replace the whole cluster.
  lifecycle {
    ignore_changes = [bootstrap_self_managed_addons]
  }
}

# For IAM roles of service accounts (IRSA). AWS derives the certificate thumbprint itself.
resource "aws_iam_openid_connect_provider" "eks" {
  url            = local.oidc_issuer
  client_id_list = ["sts.amazonaws.com"]

  tags = merge(local.tags, { Name = "${local.ns}-eks-irsa" })
}

# ---- Nodes ----

resource "aws_iam_role" "node" {
  name = "${local.ns}-node"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "node_managed" {
  for_each = local.node_managed_policies

  role       = aws_iam_role.node.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

resource "aws_iam_policy" "node" {
  for_each = local.node_policies

  name = each.value.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = each.value.statements
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = local.node_policies

  role       = aws_iam_role.node.name
  policy_arn = aws_iam_policy.node[each.key].arn
}

resource "aws_launch_template" "node" {
  for_each = local.node_groups

  name_prefix            = "${local.ns}-${each.value.az_letter}-"
  description            = "EKS managed node group ${each.key} of ${local.ns}"
  update_default_version = true
  vpc_security_group_ids = [aws_security_group.node.id, aws_security_group.primary_workers.id]
  user_data              = base64encode(local.node_user_data)

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = local.node_disk_size_gb
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = aws_kms_key.this.arn
      delete_on_termination = true
    }
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  monitoring {
    enabled = true
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "${local.ns}-${each.key}" })
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_eks_node_group" "this" {
  for_each = local.node_groups

  cluster_name           = aws_eks_cluster.this.name
  node_group_name_prefix = "${local.ns}-${each.value.az_letter}"
  node_role_arn          = aws_iam_role.node.arn
  subnet_ids             = [local.private_subnet_ids[each.value.index]]
  ami_type               = "AL2023_x86_64_STANDARD"
  instance_types         = local.node_instance_types
  force_update_version   = true

  scaling_config {
    desired_size = local.min_nodes_per_az
    min_size     = local.min_nodes_per_az
    max_size     = local.max_nodes_per_az
  }

  update_config {
    max_unavailable_percentage = 33
  }

  launch_template {
    id      = aws_launch_template.node[each.key].id
    version = aws_launch_template.node[each.key].latest_version
  }

  tags = merge(local.tags, {
    "k8s.io/cluster-autoscaler/enabled"               = "true"
    "k8s.io/cluster-autoscaler/${local.cluster_name}" = "owned"
  })

  depends_on = [
    aws_iam_role_policy_attachment.node_managed,
    aws_iam_role_policy_attachment.node,
    aws_eks_addon.vpc_cni,
  ]

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [scaling_config[0].desired_size]
  }
}

# ---- Addons: versions pinned by variable, else the default AWS gives the cluster's version ----

# The network plugin comes before the nodes, with its own IRSA role "<ns>-oidc".
resource "aws_eks_addon" "vpc_cni" {
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = "vpc-cni"
  addon_version               = var.eks_addon_vpc_cni_version
  service_account_role_arn    = aws_iam_role.vpc_cni.arn
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  tags = local.tags
}

resource "aws_eks_addon" "this" {
  for_each = local.eks_addons

  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.key
  addon_version               = each.value
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "OVERWRITE"

  tags = local.tags

  depends_on = [aws_eks_node_group.this]
}

# ---- IAM roles of service accounts ----

resource "aws_iam_role" "vpc_cni" {
  name = "${local.ns}-oidc"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:sub" = "system:serviceaccount:kube-system:aws-node"
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "vpc_cni" {
  role       = aws_iam_role.vpc_cni.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKS_CNI_Policy"
}

# Service accounts of the W&B namespace: the deployment's bucket and keys only.
resource "aws_iam_role" "irsa" {
  name = "${local.ns}-irsa-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringLike   = { "${local.oidc_host}:sub" = "system:serviceaccount:${var.k8s_namespace}:*" }
        StringEquals = { "${local.oidc_host}:aud" = "sts.amazonaws.com" }
      }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy" "irsa" {
  name = "${local.ns}-irsa-policy"
  role = aws_iam_role.irsa.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "s3:*"
        Resource = [local.bucket_arn, "${local.bucket_arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource = local.data_kms_key_arns
      },
    ]
  })
}

resource "aws_iam_role" "yace" {
  count = var.enable_yace ? 1 : 0

  name = "${local.ns}-yace-irsa-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:sub" = "system:serviceaccount:default:${var.yace_sa_name}"
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy" "yace" {
  count = var.enable_yace ? 1 : 0

  name = "${local.ns}-yace-policy"
  role = aws_iam_role.yace[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["tag:GetResources", "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"]
      Resource = "*"
    }]
  })
}

# cluster-autoscaler (installed in the cluster, with the other add-ons, after the AWS plan):
# moves each node group between its min and max, and only the groups of this cluster.
resource "aws_iam_role" "cluster_autoscaler" {
  name = "${local.ns}-cluster-autoscaler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_host}:sub" = "system:serviceaccount:cluster-autoscaler:cluster-autoscaler"
          "${local.oidc_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy" "cluster_autoscaler" {
  name = "${local.ns}-cluster-autoscaler"
  role = aws_iam_role.cluster_autoscaler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
        Resource = "*"
        Condition = {
          StringEquals = {
            "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled"               = "true"
            "aws:ResourceTag/k8s.io/cluster-autoscaler/${local.cluster_name}" = "owned"
          }
        }
      },
    ]
  })
}

# ---- Access entries ----

resource "aws_eks_access_entry" "this" {
  for_each = local.access_entries

  cluster_name      = aws_eks_cluster.this.name
  principal_arn     = each.value.principal_arn
  user_name         = each.key
  kubernetes_groups = [for g in each.value.groups : g if !startswith(g, "system:")]
  type              = "STANDARD"

  tags = local.tags
}

resource "aws_eks_access_policy_association" "cluster_admin" {
  for_each = local.cluster_admin_entries

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.this[each.key].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}

# ---- Weave: shared token and EFS ----

resource "random_password" "weave_worker_auth" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "weave_worker_auth" {
  name                    = "${local.ns}-weave-worker-auth"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = 0

  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "weave_worker_auth" {
  secret_id     = aws_secretsmanager_secret.weave_worker_auth.id
  secret_string = random_password.weave_worker_auth.result
}

resource "random_pet" "efs" {
  length = 2
}

resource "aws_efs_file_system" "weave" {
  creation_token   = "${local.ns}-${random_pet.efs.id}"
  encrypted        = true
  kms_key_id       = aws_kms_key.this.arn
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  tags = merge(local.tags, { Name = "${local.ns}-${random_pet.efs.id}" })
}

resource "aws_efs_backup_policy" "weave" {
  file_system_id = aws_efs_file_system.weave.id

  backup_policy {
    status = "ENABLED"
  }
}

resource "aws_security_group" "efs" {
  name        = "${local.ns}-${random_pet.efs.id}"
  description = "Weave EFS of ${local.ns}: NFS from the EKS nodes"
  vpc_id      = local.vpc_id

  tags = merge(local.tags, { Name = "${local.ns}-efs" })
}

resource "aws_security_group_rule" "efs_from_primary_workers" {
  type                     = "ingress"
  description              = "NFS from the EKS nodes"
  security_group_id        = aws_security_group.efs.id
  source_security_group_id = aws_security_group.primary_workers.id
  protocol                 = "tcp"
  from_port                = 2049
  to_port                  = 2049
}

resource "aws_efs_mount_target" "weave" {
  for_each = local.node_groups

  file_system_id  = aws_efs_file_system.weave.id
  subnet_id       = local.private_subnet_ids[each.value.index]
  security_groups = [aws_security_group.efs.id]
}
