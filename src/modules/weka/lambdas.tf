# The control plane's functions (reference §2.9): eleven functions sharing one arm64 binary,
# the handler chosen by the LAMBDA environment variable. scale-down and management talk to the
# backends on :14000 and always run in the cluster's VPC; the others join it only with
# enable_lambda_vpc_config. Each function logs to its own group, kept 30 days.
#
# Code: the user's S3 bucket/key, else the public module's release bucket when lambdas_version
# is given, else clusterform's own control plane package (clusterform-lambda), which the
# engine builds and uploads.

locals {
  lambda_handlers = {
    "deploy"                  = "deploy"
    "clusterize"              = "clusterize"
    "clusterize-finalization" = "clusterizeFinalization"
    "join-nfs-finalization"   = "joinNfsFinalization"
    "report"                  = "report"
    "status"                  = "status"
    "fetch"                   = "fetch"
    "scale-down"              = "scaleDown"
    "terminate"               = "terminate"
    "transient"               = "transient"
    "management"              = "management"
  }
  # Function names are at most 64 characters.
  lambda_names = { for fn, handler in local.lambda_handlers : fn => substr("${local.lambda_prefix}-${local.cluster}-${fn}-lambda", 0, 64) }
  lambdas_in_vpc = toset(var.enable_lambda_vpc_config ? keys(local.lambda_handlers) : ["scale-down", "management"])

  lambda_s3_bucket = var.lambdas_custom_s3_bucket != null ? var.lambdas_custom_s3_bucket : (var.lambdas_version != "" ? "weka-tf-aws-releases-${local.region}" : null)
  lambda_s3_key    = var.lambdas_custom_s3_key != null ? var.lambdas_custom_s3_key : (var.lambdas_version != "" ? "${var.lambdas_dist}/${var.lambdas_version}.zip" : null)
  lambda_filename  = local.lambda_s3_bucket == null ? "clusterform-lambda.zip" : null

  alb_arn_suffix = var.create_alb ? aws_lb.this[0].arn_suffix : ""

  lambda_env_common = {
    PREFIX                     = var.prefix
    CLUSTER_NAME               = local.cluster
    TABLE_NAME                 = local.dynamodb_table_name
    HASH_KEY                   = var.dynamodb_hash_key_name
    STATE_KEY                  = local.state_key
    NFS_STATE_KEY              = local.nfs_state_key
    USERNAME_ID                = aws_secretsmanager_secret.weka_username.id
    ADMIN_PASSWORD_ID          = aws_secretsmanager_secret.weka_password.id
    DEPLOYMENT_PASSWORD_ID     = aws_secretsmanager_secret.weka_deployment_password.id
    USE_SECRETMANAGER_ENDPOINT = tostring(local.use_secretmanager_endpoint)
    MANAGEMENT_LAMBDA          = local.lambda_names["management"]
  }
  lambda_env_scripts = {
    TOKEN_ID                            = local.token_secret_id
    INSTALL_URL                         = local.install_weka_url
    PROXY_URL                           = var.proxy_url
    INSTALL_DPDK                        = tostring(var.install_cluster_dpdk)
    NICS_NUM                            = tostring(local.nics_num)
    NVMES_NUM                           = tostring(try(local.container_config.nvme, 0))
    COMPUTE_MEMORY                      = local.compute_memory
    COMPUTE_CONTAINER_CORES_NUM         = tostring(local.compute_cores)
    FRONTEND_CONTAINER_CORES_NUM        = tostring(local.frontend_cores)
    DRIVE_CONTAINER_CORES_NUM           = tostring(local.drive_cores)
    WEKA_CGROUPS_MODE                   = var.weka_cgroups_mode
    NFS_CGROUPS_MODE                    = var.nfs_protocol_gateway_weka_cgroups_mode
    SMB_CGROUPS_MODE                    = var.smb_protocol_gateway_weka_cgroups_mode
    S3_CGROUPS_MODE                     = var.s3_protocol_gateway_weka_cgroups_mode
    DATA_SERVICES_CGROUPS_MODE          = var.data_services_weka_cgroups_mode
    NFS_PROTOCOL_GATEWAY_FE_CORES_NUM   = tostring(var.nfs_protocol_gateway_fe_cores_num)
    SMB_PROTOCOL_GATEWAY_FE_CORES_NUM   = tostring(var.smb_protocol_gateway_fe_cores_num)
    S3_PROTOCOL_GATEWAY_FE_CORES_NUM    = tostring(var.s3_protocol_gateway_fe_cores_num)
    NFS_INTERFACE_GROUP_NAME            = var.nfs_interface_group_name
    NFS_SECONDARY_IPS_NUM               = tostring(var.nfs_protocol_gateway_secondary_ips_per_nic)
    NFS_PROTOCOL_GATEWAYS_NUM           = tostring(var.nfs_protocol_gateways_number)
    ALB_ARN_SUFFIX                      = local.alb_arn_suffix
    CLUSTERIZE_LAMBDA_NAME              = local.lambda_names["clusterize"]
    CLUSTERIZE_FINALIZATION_LAMBDA_NAME = local.lambda_names["clusterize-finalization"]
    JOIN_NFS_FINALIZATION_LAMBDA_NAME   = local.lambda_names["join-nfs-finalization"]
    REPORT_LAMBDA_NAME                  = local.lambda_names["report"]
    FETCH_LAMBDA_NAME                   = local.lambda_names["fetch"]
    STATUS_LAMBDA_NAME                  = local.lambda_names["status"]
  }
  lambda_env_clusterize = {
    HOSTS_NUM                    = tostring(var.cluster_size)
    PROTECTION_LEVEL             = tostring(var.protection_level)
    STRIPE_WIDTH                 = tostring(local.stripe_width)
    HOTSPARE                     = tostring(var.hotspare)
    SET_DEFAULT_FS               = tostring(var.set_default_fs)
    WEKA_HOME_URL                = var.weka_home_url
    POST_CLUSTER_SETUP_SCRIPT    = var.post_cluster_setup_script
    SET_OBS                      = tostring(var.tiering_enable_obs_integration)
    OBS_NAME                     = local.obs_name
    CREATE_OBS_BUCKET            = tostring(local.obs_auto_create)
    OBS_TIERING_SSD_PERCENT      = tostring(var.tiering_enable_ssd_percent)
    TIERING_TARGET_SSD_RETENTION = tostring(var.tiering_obs_target_ssd_retention)
    TIERING_START_DEMOTE         = tostring(var.tiering_obs_start_demote)
  }
  lambda_env_scaling = {
    ROLE                          = "backend"
    ASG_NAME                      = "${local.ec2_prefix}-${local.cluster}-autoscaling-group"
    NFS_ASG_NAME                  = "${local.ec2_prefix}-${local.cluster}-nfs-protocol-gateway"
    DOWN_BACKENDS_REMOVAL_TIMEOUT = var.debug_down_backends_removal_timeout
  }
  lambda_env = {
    "deploy"                  = local.lambda_env_scripts
    "clusterize"              = merge(local.lambda_env_scripts, local.lambda_env_clusterize)
    "clusterize-finalization" = {}
    "join-nfs-finalization"   = {}
    "report"                  = {}
    "status"                  = local.lambda_env_scaling
    "fetch"                   = local.lambda_env_scaling
    "scale-down"              = local.lambda_env_scaling
    "terminate"               = local.lambda_env_scaling
    "transient"               = {}
    "management"              = {}
  }
}

resource "aws_cloudwatch_log_group" "lambda" {
  for_each          = local.lambda_handlers
  name              = "/aws/lambda/${local.cloudwatch_prefix}/${local.lambda_names[each.key]}"
  retention_in_days = 30
  tags              = local.tags
}

resource "aws_lambda_function" "this" {
  for_each      = local.lambda_handlers
  function_name = local.lambda_names[each.key]
  role          = local.lambda_role_arn
  runtime       = "provided.al2023"
  architectures = ["arm64"]
  handler       = "bootstrap"
  memory_size   = 128
  timeout       = 20
  s3_bucket     = local.lambda_s3_bucket
  s3_key        = local.lambda_s3_key
  filename      = local.lambda_filename

  environment {
    variables = merge(local.lambda_env_common, local.lambda_env[each.key], { LAMBDA = each.value })
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.lambda[each.key].name
  }

  dynamic "vpc_config" {
    for_each = contains(local.lambdas_in_vpc, each.key) ? [1] : []
    content {
      subnet_ids         = [local.subnet_id]
      security_group_ids = local.sg_ids
    }
  }

  tags = merge(local.tags, { Name = local.lambda_names[each.key] })
}
