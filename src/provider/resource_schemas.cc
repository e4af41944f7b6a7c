#include "provider/resource_schemas.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "hcl/value_json.h"

namespace cf::provider {

namespace {

struct TypeEntry {
  const char* type;
  // Space-separated names. "id" is added to every type.
  const char* computed;
  const char* sensitive;
  const char* blocks;
};

// From the "Attribute Reference" sections of the providers' documentation, plus the optional
// arguments the provider fills in when a configuration leaves them unset (Terraform shows
// those as "(known after apply)" too). Arguments with a plain default (instance_tenancy =
// "default", path = "/") are not computed: they are in kDefaults below.
//
// Verified (November 2026) against hashicorp/terraform-provider-aws
// website/docs/r/<type>.html.markdown as the public code index stores it. The stored copies
// are of mixed age, from v2-era pages (no tags_all; aws_lb, aws_key_pair, aws_placement_group,
// aws_iam_role_policy_attachment, aws_ssm_parameter, aws_kms_alias, aws_iam_openid_connect_
// provider) through v5 to v6 (pages with the `region` argument: aws_instance at 00d98e7,
// aws_kms_key at 0413c66, aws_launch_template at 00a3530, aws_secretsmanager_secret at 06c2a7d,
// aws_route at 25bd22d, aws_egress_only_internet_gateway at 108f85f). Where a page was older
// than an attribute, the attribute was checked against create plans printed by recent
// providers (5.8x and 6.x) and kept or added on that evidence; every addition below that a
// stored page does not list comes from such plans:
//   aws_instance: iam_instance_profile, enable_primary_ipv6 (optional, filled in);
//   aws_lb_listener: the routing_http_* header settings and tcp_idle_timeout_seconds;
//   aws_secretsmanager_secret_version: has_secret_string_wo; aws_sns_topic: name,
//   name_prefix, fifo_throughput_scope; aws_eip: ipam_pool_id; aws_efs_file_system:
//   availability_zone_name; aws_db_instance and aws_rds_cluster: the 5.x/6.x additions
//   (database_insights_mode, engine_lifecycle_support, ...); aws_rds_cluster_instance:
//   publicly_accessible; aws_elasticache_replication_group: data_tiering_enabled;
//   aws_eks_cluster: deletion_protection; aws_route53_zone: enable_accelerated_recovery;
//   aws_lambda_function: response_streaming_invoke_arn; aws_cloudwatch_log_group:
//   deletion_protection_enabled; aws_s3_bucket_lifecycle_configuration:
//   expected_bucket_owner (its transition_default_minimum_object_size is planned with the
//   default "all_storage_classes_128K", not after apply); tls_self_signed_cert: max_path_length.
// aws_instance keeps cpu_core_count and cpu_threads_per_core, which 5.x still exports (6.0
// dropped them for cpu_options). The 6.x `region` argument (known at plan time, not after
// apply) is not modelled.
// tls_*, random_* and local_file: verified against docs/resources/*.md of
// hashicorp/terraform-provider-{tls,random,local} (self_signed_cert at 0472434, private_key at
// 2f03f1d, password at 0334635, pet at 5daecfe, file at 11c4189). Two tls_self_signed_cert
// entries follow the create plans of tls 4.x rather than that page: ready_for_renewal is
// planned as false (kDefaults), and max_path_length, documented with a default of -1, is
// planned as "(known after apply)". Not verified: random_id, random_string, random_uuid and
// local_sensitive_file (pages not read; they match their siblings' pages).
// Optional+computed nested blocks (aws_instance.cpu_options, aws_s3_bucket.versioning, ...)
// are listed only where the Attribute Reference names them (capacity_reservation_
// specification, aws_secretsmanager_secret.replica, aws_iam_role.inline_policy).
constexpr TypeEntry kTypes[] = {
    // Network.
    {"aws_vpc",
     "arn cidr_block default_network_acl_id default_route_table_id default_security_group_id "
     "dhcp_options_id enable_dns_hostnames enable_network_address_usage_metrics "
     "ipv6_association_id "
     "ipv6_cidr_block ipv6_cidr_block_network_border_group main_route_table_id owner_id tags_all",
     "", ""},
    {"aws_subnet",
     "arn availability_zone availability_zone_id ipv6_cidr_block_association_id owner_id "
     "private_dns_hostname_type_on_launch tags_all",
     "", ""},
    {"aws_internet_gateway", "arn owner_id tags_all", "", ""},
    {"aws_egress_only_internet_gateway", "tags_all", "", ""},
    {"aws_nat_gateway",
     "association_id network_interface_id private_ip public_ip secondary_allocation_ids "
     "secondary_private_ip_address_count secondary_private_ip_addresses tags_all",
     "", ""},
    {"aws_eip",
     "allocation_id arn association_id carrier_ip customer_owned_ip domain instance ipam_pool_id "
     "network_border_group network_interface private_dns private_ip ptr_record public_dns "
     "public_ip public_ipv4_pool tags_all vpc",
     "", ""},
    {"aws_route_table", "arn owner_id propagating_vgws route tags_all", "", ""},
    {"aws_route", "instance_id instance_owner_id network_interface_id origin state", "", ""},
    {"aws_route_table_association", "", "", ""},
    {"aws_main_route_table_association", "original_route_table_id", "", ""},
    {"aws_security_group", "arn egress ingress name name_prefix owner_id tags_all vpc_id", "", ""},
    {"aws_vpc_security_group_ingress_rule", "arn security_group_rule_id tags_all", "", ""},
    {"aws_vpc_security_group_egress_rule", "arn security_group_rule_id tags_all", "", ""},
    {"aws_security_group_rule", "security_group_rule_id source_security_group_id", "", ""},
    // flow_log.html.markdown (01606926): arn, tags_all; log_destination and log_format are
    // filled in by the provider when unset.
    {"aws_flow_log", "arn log_destination log_format tags_all", "", "destination_options"},
    // vpc_endpoint_service.html.markdown (017fc211, an old page) plus the provider 5.x schema's
    // Optional+Computed allowed_principals, supported_ip_address_types and the computed
    // private_dns_name_configuration block.
    {"aws_vpc_endpoint_service",
     "allowed_principals arn availability_zones base_endpoint_dns_names manages_vpc_endpoints "
     "private_dns_name private_dns_name_configuration service_name service_type state "
     "supported_ip_address_types tags_all",
     "", "private_dns_name_configuration"},
    {"aws_vpc_endpoint",
     "arn cidr_blocks dns_entry ip_address_type network_interface_ids owner_id policy "
     "prefix_list_id private_dns_enabled requester_managed route_table_ids security_group_ids "
     "state subnet_ids tags_all",
     "", "dns_options subnet_configuration"},
    {"aws_vpc_endpoint_route_table_association", "", "", ""},
    {"aws_network_acl", "arn egress ingress owner_id subnet_ids tags_all", "", ""},
    {"aws_default_security_group",
     "arn description egress ingress name name_prefix owner_id "
     "tags_all vpc_id",
     "", ""},
    // IAM.
    {"aws_iam_role",
     "arn create_date inline_policy managed_policy_arns name name_prefix tags_all unique_id", "",
     "inline_policy"},
    {"aws_iam_policy", "arn attachment_count name name_prefix policy_id tags_all", "", ""},
    {"aws_iam_role_policy", "name name_prefix", "", ""},
    {"aws_iam_role_policy_attachment", "", "", ""},
    {"aws_iam_instance_profile", "arn create_date name name_prefix tags_all unique_id", "", ""},
    {"aws_iam_service_linked_role", "arn create_date name path tags_all unique_id", "", ""},
    {"aws_iam_openid_connect_provider", "arn tags_all thumbprint_list", "", ""},
    // Compute.
    {"aws_key_pair", "arn fingerprint key_name key_name_prefix key_pair_id key_type tags_all", "",
     ""},
    {"aws_placement_group", "arn partition_count placement_group_id spread_level tags_all", "", ""},
    {"aws_launch_template", "arn default_version latest_version name name_prefix tags_all", "",
     "block_device_mappings block_device_mappings.ebs capacity_reservation_specification "
     "capacity_reservation_specification.capacity_reservation_target cpu_options "
     "credit_specification elastic_gpu_specifications enclave_options hibernation_options "
     "iam_instance_profile instance_market_options instance_market_options.spot_options "
     "instance_requirements license_specification maintenance_options metadata_options monitoring "
     "network_interfaces placement private_dns_name_options tag_specifications"},
    {"aws_autoscaling_group",
     "arn availability_zones default_cooldown desired_capacity health_check_type load_balancers "
     "name name_prefix predicted_capacity service_linked_role_arn target_group_arns "
     "vpc_zone_identifier warm_pool_size",
     "",
     "initial_lifecycle_hook instance_maintenance_policy instance_refresh "
     "instance_refresh.preferences launch_template mixed_instances_policy "
     "mixed_instances_policy.instances_distribution mixed_instances_policy.launch_template "
     "mixed_instances_policy.launch_template.launch_template_specification "
     "mixed_instances_policy.launch_template.override tag traffic_source warm_pool"},
    {"aws_autoscaling_lifecycle_hook", "default_result", "", ""},
    {"aws_instance",
     "ami arn associate_public_ip_address availability_zone cpu_core_count cpu_threads_per_core "
     "capacity_reservation_specification disable_api_stop disable_api_termination ebs_optimized "
     "enable_primary_ipv6 host_id host_resource_group_arn iam_instance_profile "
     "instance_initiated_shutdown_behavior instance_lifecycle instance_state instance_type "
     "ipv6_address_count ipv6_addresses key_name monitoring outpost_arn password_data "
     "placement_group placement_partition_number primary_network_interface_id private_dns "
     "private_ip public_dns public_ip secondary_private_ips security_groups "
     "spot_instance_request_id subnet_id tags_all tenancy user_data user_data_base64 "
     "vpc_security_group_ids",
     "",
     "capacity_reservation_specification cpu_options credit_specification ebs_block_device "
     "enclave_options ephemeral_block_device instance_market_options launch_template "
     "maintenance_options metadata_options network_interface private_dns_name_options "
     "root_block_device"},
    // Encryption and secrets.
    {"aws_kms_key",
     "arn description key_id multi_region policy "
     "rotation_period_in_days tags_all",
     "", ""},
    {"aws_kms_alias", "arn name name_prefix target_key_arn", "", ""},
    {"aws_secretsmanager_secret", "arn name name_prefix policy replica tags_all", "", "replica"},
    {"aws_secretsmanager_secret_version", "arn has_secret_string_wo version_id version_stages",
     "secret_binary secret_string", ""},
    {"aws_ssm_parameter", "arn data_type insecure_value tier tags_all type version", "value", ""},
    {"aws_acm_certificate",
     "arn domain_validation_options key_algorithm not_after not_before pending_renewal "
     "renewal_eligibility renewal_summary status subject_alternative_names tags_all type "
     "validation_emails validation_method",
     "private_key", "options validation_option"},
    {"aws_acm_certificate_validation", "", "", ""},
    // Load balancing and DNS.
    {"aws_lb",
     "arn arn_suffix dns_name enforce_security_group_inbound_rules_on_private_link_traffic "
     "ip_address_type name name_prefix security_groups subnets tags_all vpc_id zone_id",
     "", "access_logs connection_logs subnet_mapping"},
    {"aws_lb_target_group",
     "arn arn_suffix connection_termination ip_address_type load_balancer_arns "
     "load_balancing_algorithm_type load_balancing_anomaly_mitigation "
     "load_balancing_cross_zone_enabled name name_prefix preserve_client_ip protocol_version "
     "tags_all",
     "", "health_check stickiness target_failover target_health_state"},
    {"aws_lb_listener",
     "arn protocol routing_http_request_x_amzn_mtls_clientcert_header_name "
     "routing_http_request_x_amzn_mtls_clientcert_issuer_header_name "
     "routing_http_request_x_amzn_mtls_clientcert_leaf_header_name "
     "routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name "
     "routing_http_request_x_amzn_mtls_clientcert_subject_header_name "
     "routing_http_request_x_amzn_mtls_clientcert_validity_header_name "
     "routing_http_request_x_amzn_tls_cipher_suite_header_name "
     "routing_http_request_x_amzn_tls_version_header_name "
     "routing_http_response_access_control_allow_credentials_header_value "
     "routing_http_response_access_control_allow_headers_header_value "
     "routing_http_response_access_control_allow_methods_header_value "
     "routing_http_response_access_control_allow_origin_header_value "
     "routing_http_response_access_control_expose_headers_header_value "
     "routing_http_response_access_control_max_age_header_value "
     "routing_http_response_content_security_policy_header_value "
     "routing_http_response_server_enabled "
     "routing_http_response_strict_transport_security_header_value "
     "routing_http_response_x_content_type_options_header_value "
     "routing_http_response_x_frame_options_header_value ssl_policy tags_all "
     "tcp_idle_timeout_seconds",
     "",
     "default_action default_action.authenticate_cognito default_action.authenticate_oidc "
     "default_action.fixed_response default_action.forward default_action.forward.stickiness "
     "default_action.forward.target_group default_action.redirect mutual_authentication"},
    {"aws_lb_listener_rule", "arn priority tags_all", "",
     "action action.fixed_response action.forward action.forward.stickiness "
     "action.forward.target_group action.redirect condition condition.host_header "
     "condition.http_header condition.http_request_method condition.path_pattern "
     "condition.query_string condition.source_ip"},
    {"aws_lb_target_group_attachment", "", "", ""},
    {"aws_route53_record", "allow_overwrite fqdn", "",
     "alias cidr_routing_policy failover_routing_policy geolocation_routing_policy "
     "latency_routing_policy weighted_routing_policy"},
    {"aws_route53_zone",
     "arn enable_accelerated_recovery name_servers primary_name_server tags_all zone_id", "",
     "vpc"},
    // State and control plane.
    {"aws_dynamodb_table",
     "arn read_capacity stream_arn stream_label stream_view_type tags_all write_capacity", "",
     "attribute global_secondary_index local_secondary_index point_in_time_recovery replica "
     "server_side_encryption ttl"},
    {"aws_dynamodb_table_item", "", "", ""},
    {"aws_lambda_function",
     "architectures arn code_sha256 invoke_arn last_modified qualified_arn qualified_invoke_arn "
     "response_streaming_invoke_arn signing_job_arn signing_profile_version_arn source_code_hash "
     "source_code_size tags_all version",
     "",
     "dead_letter_config environment ephemeral_storage file_system_config image_config "
     "logging_config snap_start tracing_config vpc_config"},
    {"aws_lambda_permission", "statement_id statement_id_prefix", "", ""},
    {"aws_cloudwatch_log_group",
     "arn deletion_protection_enabled log_group_class name name_prefix tags_all", "", ""},
    {"aws_cloudwatch_metric_alarm", "arn evaluate_low_sample_count_percentiles tags_all", "",
     "metric_query metric_query.metric"},
    {"aws_sfn_state_machine",
     "arn creation_date description name name_prefix revision_id state_machine_version_arn "
     "status tags_all version_description",
     "", "encryption_configuration logging_configuration tracing_configuration"},
    {"aws_cloudwatch_event_rule", "arn name name_prefix tags_all", "", ""},
    {"aws_cloudwatch_event_target", "target_id", "",
     "dead_letter_config ecs_target input_transformer retry_policy run_command_targets "
     "sqs_target"},
    {"aws_sns_topic",
     "arn beginning_archive_time fifo_throughput_scope name name_prefix owner policy "
     "signature_version tags_all tracing_config",
     "", ""},
    // Storage.
    {"aws_s3_bucket",
     "acceleration_status acl arn bucket bucket_domain_name bucket_prefix "
     "bucket_regional_domain_name hosted_zone_id object_lock_enabled policy region request_payer "
     "tags_all website_domain website_endpoint",
     "", ""},
    {"aws_s3_bucket_versioning", "", "", "versioning_configuration"},
    {"aws_s3_bucket_acl", "acl", "",
     "access_control_policy access_control_policy.grant access_control_policy.grant.grantee "
     "access_control_policy.owner"},
    {"aws_s3_bucket_server_side_encryption_configuration", "", "",
     "rule rule.apply_server_side_encryption_by_default"},
    {"aws_s3_bucket_public_access_block", "", "", ""},
    {"aws_s3_bucket_ownership_controls", "", "", "rule"},
    {"aws_s3_bucket_notification", "", "", "lambda_function queue topic"},
    {"aws_s3_bucket_policy", "", "", ""},
    {"aws_s3_bucket_cors_configuration", "", "", "cors_rule"},
    {"aws_s3_bucket_lifecycle_configuration", "expected_bucket_owner", "",
     "rule rule.abort_incomplete_multipart_upload rule.expiration rule.filter rule.filter.and "
     "rule.filter.tag rule.noncurrent_version_expiration rule.noncurrent_version_transition "
     "rule.transition"},
    {"aws_sqs_queue",
     "arn deduplication_scope fifo_throughput_limit kms_data_key_reuse_period_seconds name "
     "name_prefix policy redrive_allow_policy redrive_policy sqs_managed_sse_enabled tags_all url",
     "", ""},
    {"aws_sqs_queue_policy", "", "", ""},
    {"aws_efs_file_system",
     "arn availability_zone_id availability_zone_name creation_token dns_name encrypted "
     "kms_key_id name number_of_mount_targets owner_id performance_mode size_in_bytes tags_all",
     "", "lifecycle_policy protection"},
    {"aws_efs_backup_policy", "", "", "backup_policy"},
    {"aws_efs_mount_target",
     "availability_zone_id availability_zone_name dns_name file_system_arn ip_address "
     "ipv6_address mount_target_dns_name network_interface_id owner_id security_groups",
     "", ""},
    // Databases and caches.
    {"aws_rds_cluster",
     "allocated_storage apply_immediately arn availability_zones backup_retention_period "
     "ca_certificate_identifier ca_certificate_valid_till cluster_identifier "
     "cluster_identifier_prefix cluster_members cluster_resource_id cluster_scalability_type "
     "database_insights_mode database_name db_cluster_parameter_group_name db_subnet_group_name "
     "db_system_id endpoint engine_lifecycle_support engine_version engine_version_actual "
     "hosted_zone_id iam_roles iops kms_key_id master_user_secret master_user_secret_kms_key_id "
     "master_username monitoring_interval monitoring_role_arn "
     "network_type performance_insights_enabled performance_insights_kms_key_id "
     "performance_insights_retention_period port preferred_backup_window "
     "preferred_maintenance_window reader_endpoint storage_encrypted storage_type tags_all "
     "vpc_security_group_ids",
     "master_password",
     "restore_to_point_in_time s3_import scaling_configuration "
     "serverlessv2_scaling_configuration"},
    {"aws_rds_cluster_instance",
     "apply_immediately arn availability_zone ca_cert_identifier db_parameter_group_name "
     "db_subnet_group_name dbi_resource_id endpoint engine_version engine_version_actual "
     "identifier identifier_prefix kms_key_id monitoring_role_arn network_type "
     "performance_insights_enabled performance_insights_kms_key_id "
     "performance_insights_retention_period port preferred_backup_window "
     "preferred_maintenance_window publicly_accessible storage_encrypted tags_all writer",
     "", ""},
    {"aws_rds_cluster_parameter_group", "arn name name_prefix tags_all", "", "parameter"},
    {"aws_db_parameter_group", "arn name name_prefix tags_all", "", "parameter"},
    {"aws_db_subnet_group", "arn name name_prefix supported_network_types tags_all vpc_id", "", ""},
    {"aws_db_instance",
     "address allocated_storage arn availability_zone backup_retention_period backup_target "
     "backup_window ca_cert_identifier character_set_name database_insights_mode db_name "
     "db_subnet_group_name domain_fqdn endpoint engine engine_lifecycle_support engine_version "
     "engine_version_actual hosted_zone_id identifier identifier_prefix iops kms_key_id "
     "latest_restorable_time license_model listener_endpoint maintenance_window "
     "master_user_secret master_user_secret_kms_key_id monitoring_role_arn multi_az "
     "nchar_character_set_name network_type option_group_name parameter_group_name "
     "performance_insights_kms_key_id performance_insights_retention_period port replica_mode "
     "replicas resource_id status storage_throughput storage_type tags_all timezone username "
     "vpc_security_group_ids",
     "password", ""},
    {"aws_elasticache_replication_group",
     "apply_immediately arn at_rest_encryption_enabled auto_minor_version_upgrade cluster_enabled "
     "cluster_mode configuration_endpoint_address data_tiering_enabled engine_version "
     "engine_version_actual "
     "global_replication_group_id ip_discovery maintenance_window member_clusters network_type "
     "node_type num_cache_clusters num_node_groups parameter_group_name primary_endpoint_address "
     "reader_endpoint_address replicas_per_node_group security_group_ids security_group_names "
     "snapshot_window subnet_group_name tags_all transit_encryption_enabled "
     "transit_encryption_mode",
     "auth_token", "log_delivery_configuration"},
    {"aws_elasticache_subnet_group", "arn tags_all vpc_id", "", ""},
    {"aws_elasticache_parameter_group", "arn tags_all", "", "parameter"},
    // Kubernetes.
    {"aws_eks_cluster",
     "arn certificate_authority cluster_id created_at deletion_protection endpoint identity "
     "platform_version status tags_all version",
     "",
     "access_config compute_config encryption_config encryption_config.provider "
     "kubernetes_network_config outpost_config remote_network_config storage_config "
     "upgrade_policy vpc_config zonal_shift_config"},
    {"aws_eks_node_group",
     "ami_type arn capacity_type disk_size instance_types node_group_name node_group_name_prefix "
     "release_version resources status tags_all version",
     "", "launch_template node_repair_config remote_access scaling_config taint update_config"},
    {"aws_eks_addon", "addon_version arn configuration_values created_at modified_at tags_all", "",
     "pod_identity_association"},
    {"aws_eks_access_entry",
     "access_entry_arn created_at kubernetes_groups modified_at tags_all user_name", "", ""},
    {"aws_eks_access_policy_association", "associated_at modified_at", "", "access_scope"},
    // Non-AWS providers the modules use.
    {"tls_private_key",
     "private_key_openssh private_key_pem private_key_pem_pkcs8 public_key_fingerprint_md5 "
     "public_key_fingerprint_sha256 public_key_openssh public_key_pem",
     "private_key_openssh private_key_pem private_key_pem_pkcs8", ""},
    {"tls_self_signed_cert",
     "cert_pem key_algorithm max_path_length validity_end_time validity_start_time",
     "private_key_pem", "subject"},
    {"random_password", "bcrypt_hash result", "bcrypt_hash result", ""},
    {"random_string", "result", "", ""},
    {"random_id", "b64_std b64_url dec hex", "", ""},
    {"random_pet", "", "", ""},
    {"local_file",
     "content_base64sha256 content_base64sha512 content_md5 content_sha1 content_sha256 "
     "content_sha512",
     "sensitive_content", ""},
    {"local_sensitive_file",
     "content_base64sha256 content_base64sha512 content_md5 content_sha1 content_sha256 "
     "content_sha512",
     "content content_base64", ""},
    {"random_uuid", "result", "", ""},
};

struct DefaultEntry {
  const char* type;
  const char* name;
  const char* json;  // the value, as JSON
  // Empty, or `attribute=value`: the default holds only while that string argument has that
  // value, set or by its own default (aws_lb's HTTP settings exist for application load
  // balancers only; a network load balancer's plan leaves them null).
  const char* only_when = "";
};

constexpr const char* kAlb = "load_balancer_type=application";
constexpr const char* kNlb = "load_balancer_type=network";

// Arguments with a plain default in the provider's schema: an unset one is planned with its
// default, as Terraform shows it. Only defaults that are stable across provider versions.
constexpr DefaultEntry kDefaults[] = {
    {"aws_vpc", "enable_dns_support", "true"},
    {"aws_vpc", "instance_tenancy", "\"default\""},
    {"aws_subnet", "assign_ipv6_address_on_creation", "false"},
    {"aws_subnet", "enable_dns64", "false"},
    {"aws_subnet", "enable_resource_name_dns_a_record_on_launch", "false"},
    {"aws_subnet", "enable_resource_name_dns_aaaa_record_on_launch", "false"},
    {"aws_subnet", "ipv6_native", "false"},
    {"aws_subnet", "map_public_ip_on_launch", "false"},
    {"aws_nat_gateway", "connectivity_type", "\"public\""},
    {"aws_security_group", "description", "\"Managed by Terraform\""},
    {"aws_security_group", "revoke_rules_on_delete", "false"},
    {"aws_vpc_endpoint", "vpc_endpoint_type", "\"Gateway\""},
    {"aws_flow_log", "log_destination_type", "\"cloud-watch-logs\""},
    {"aws_flow_log", "max_aggregation_interval", "600"},
    {"aws_default_security_group", "revoke_rules_on_delete", "false"},
    {"aws_iam_role", "force_detach_policies", "false"},
    {"aws_iam_role", "max_session_duration", "3600"},
    {"aws_iam_role", "path", "\"/\""},
    {"aws_iam_policy", "path", "\"/\""},
    {"aws_iam_instance_profile", "path", "\"/\""},
    {"aws_kms_key", "bypass_policy_lockout_safety_check", "false"},
    {"aws_kms_key", "customer_master_key_spec", "\"SYMMETRIC_DEFAULT\""},
    {"aws_kms_key", "enable_key_rotation", "false"},
    {"aws_kms_key", "is_enabled", "true"},
    {"aws_kms_key", "key_usage", "\"ENCRYPT_DECRYPT\""},
    {"aws_lambda_function", "memory_size", "128"},
    {"aws_lambda_function", "package_type", "\"Zip\""},
    {"aws_lambda_function", "publish", "false"},
    {"aws_lambda_function", "reserved_concurrent_executions", "-1"},
    {"aws_lambda_function", "skip_destroy", "false"},
    {"aws_lambda_function", "timeout", "3"},
    {"aws_cloudwatch_log_group", "retention_in_days", "0"},
    {"aws_cloudwatch_log_group", "skip_destroy", "false"},
    {"aws_s3_bucket", "force_destroy", "false"},
    {"aws_s3_bucket_lifecycle_configuration", "transition_default_minimum_object_size",
     "\"all_storage_classes_128K\""},
    {"aws_s3_bucket_public_access_block", "block_public_acls", "false"},
    {"aws_s3_bucket_public_access_block", "block_public_policy", "false"},
    {"aws_s3_bucket_public_access_block", "ignore_public_acls", "false"},
    {"aws_s3_bucket_public_access_block", "restrict_public_buckets", "false"},
    {"aws_sqs_queue", "content_based_deduplication", "false"},
    {"aws_sqs_queue", "delay_seconds", "0"},
    {"aws_sqs_queue", "fifo_queue", "false"},
    {"aws_sqs_queue", "max_message_size", "262144"},
    {"aws_sqs_queue", "message_retention_seconds", "345600"},
    {"aws_sqs_queue", "receive_wait_time_seconds", "0"},
    {"aws_sqs_queue", "visibility_timeout_seconds", "30"},
    {"aws_secretsmanager_secret", "force_overwrite_replica_secret", "false"},
    {"aws_secretsmanager_secret", "recovery_window_in_days", "30"},
    {"aws_sfn_state_machine", "publish", "false"},
    {"aws_sfn_state_machine", "type", "\"STANDARD\""},
    {"aws_cloudwatch_event_rule", "event_bus_name", "\"default\""},
    {"aws_cloudwatch_event_target", "event_bus_name", "\"default\""},
    {"aws_cloudwatch_metric_alarm", "actions_enabled", "true"},
    {"aws_cloudwatch_metric_alarm", "treat_missing_data", "\"missing\""},
    {"aws_sns_topic", "content_based_deduplication", "false"},
    {"aws_sns_topic", "fifo_topic", "false"},
    {"aws_route53_zone", "comment", "\"Managed by Terraform\""},
    {"aws_route53_zone", "force_destroy", "false"},
    {"aws_dynamodb_table", "billing_mode", "\"PROVISIONED\""},
    {"aws_efs_file_system", "throughput_mode", "\"bursting\""},
    {"aws_rds_cluster", "copy_tags_to_snapshot", "false"},
    {"aws_rds_cluster", "delete_automated_backups", "true"},
    {"aws_rds_cluster", "enable_global_write_forwarding", "false"},
    {"aws_rds_cluster", "enable_http_endpoint", "false"},
    {"aws_rds_cluster", "enable_local_write_forwarding", "false"},
    {"aws_rds_cluster", "engine_mode", "\"provisioned\""},
    {"aws_rds_cluster", "skip_final_snapshot", "false"},
    {"aws_rds_cluster_instance", "auto_minor_version_upgrade", "true"},
    {"aws_rds_cluster_instance", "copy_tags_to_snapshot", "false"},
    {"aws_rds_cluster_instance", "force_destroy", "false"},
    {"aws_rds_cluster_instance", "monitoring_interval", "0"},
    {"aws_rds_cluster_instance", "promotion_tier", "0"},
    {"aws_rds_cluster_parameter_group", "description", "\"Managed by Terraform\""},
    {"aws_db_parameter_group", "description", "\"Managed by Terraform\""},
    {"aws_db_parameter_group", "skip_destroy", "false"},
    {"aws_db_subnet_group", "description", "\"Managed by Terraform\""},
    {"aws_db_instance", "apply_immediately", "false"},
    {"aws_db_instance", "auto_minor_version_upgrade", "true"},
    {"aws_db_instance", "copy_tags_to_snapshot", "false"},
    {"aws_db_instance", "dedicated_log_volume", "false"},
    {"aws_db_instance", "delete_automated_backups", "true"},
    {"aws_db_instance", "monitoring_interval", "0"},
    {"aws_db_instance", "performance_insights_enabled", "false"},
    {"aws_db_instance", "publicly_accessible", "false"},
    {"aws_db_instance", "skip_final_snapshot", "false"},
    {"aws_elasticache_replication_group", "automatic_failover_enabled", "false"},
    {"aws_elasticache_replication_group", "multi_az_enabled", "false"},
    {"aws_elasticache_subnet_group", "description", "\"Managed by Terraform\""},
    {"aws_elasticache_parameter_group", "description", "\"Managed by Terraform\""},
    {"aws_eks_cluster", "bootstrap_self_managed_addons", "true"},
    {"aws_eks_access_entry", "type", "\"STANDARD\""},
    {"aws_lb", "enable_deletion_protection", "false"},
    {"aws_lb", "enable_zonal_shift", "false"},
    {"aws_lb", "internal", "false"},
    {"aws_lb", "load_balancer_type", "\"application\""},
    {"aws_lb", "client_keep_alive", "3600", kAlb},
    {"aws_lb", "desync_mitigation_mode", "\"defensive\"", kAlb},
    {"aws_lb", "drop_invalid_header_fields", "false", kAlb},
    {"aws_lb", "enable_http2", "true", kAlb},
    {"aws_lb", "enable_tls_version_and_cipher_suite_headers", "false", kAlb},
    {"aws_lb", "enable_waf_fail_open", "false", kAlb},
    {"aws_lb", "enable_xff_client_port", "false", kAlb},
    {"aws_lb", "idle_timeout", "60", kAlb},
    {"aws_lb", "preserve_host_header", "false", kAlb},
    {"aws_lb", "xff_header_processing_mode", "\"append\"", kAlb},
    {"aws_lb", "dns_record_client_routing_policy", "\"any_availability_zone\"", kNlb},
    {"aws_lb", "enable_cross_zone_load_balancing", "false", kNlb},
    {"aws_lb_target_group", "deregistration_delay", "\"300\""},
    {"aws_lb_target_group", "lambda_multi_value_headers_enabled", "false"},
    {"aws_lb_target_group", "proxy_protocol_v2", "false"},
    {"aws_lb_target_group", "slow_start", "0"},
    {"aws_lb_target_group", "target_type", "\"instance\""},
    {"aws_autoscaling_group", "force_delete", "false"},
    {"aws_autoscaling_group", "force_delete_warm_pool", "false"},
    {"aws_autoscaling_group", "health_check_grace_period", "300"},
    {"aws_autoscaling_group", "ignore_failed_scaling_activities", "false"},
    {"aws_autoscaling_group", "metrics_granularity", "\"1Minute\""},
    {"aws_autoscaling_group", "protect_from_scale_in", "false"},
    {"aws_autoscaling_group", "wait_for_capacity_timeout", "\"10m\""},
    {"aws_instance", "get_password_data", "false"},
    {"aws_instance", "source_dest_check", "true"},
    {"aws_instance", "user_data_replace_on_change", "false"},
    {"tls_private_key", "ecdsa_curve", "\"P224\""},
    {"tls_private_key", "rsa_bits", "2048"},
    {"tls_self_signed_cert", "early_renewal_hours", "0"},
    {"tls_self_signed_cert", "is_ca_certificate", "false"},
    {"tls_self_signed_cert", "ready_for_renewal", "false"},
    {"tls_self_signed_cert", "set_authority_key_id", "false"},
    {"tls_self_signed_cert", "set_subject_key_id", "false"},
    {"random_password", "lower", "true"},
    {"random_password", "min_lower", "0"},
    {"random_password", "min_numeric", "0"},
    {"random_password", "min_special", "0"},
    {"random_password", "min_upper", "0"},
    {"random_password", "number", "true"},
    {"random_password", "numeric", "true"},
    {"random_password", "special", "true"},
    {"random_password", "upper", "true"},
    {"random_string", "lower", "true"},
    {"random_string", "min_lower", "0"},
    {"random_string", "min_numeric", "0"},
    {"random_string", "min_special", "0"},
    {"random_string", "min_upper", "0"},
    {"random_string", "number", "true"},
    {"random_string", "numeric", "true"},
    {"random_string", "special", "true"},
    {"random_string", "upper", "true"},
    {"random_pet", "length", "2"},
    {"random_pet", "separator", "\"-\""},
    {"local_file", "directory_permission", "\"0777\""},
    {"local_file", "file_permission", "\"0777\""},
    {"local_sensitive_file", "directory_permission", "\"0700\""},
    {"local_sensitive_file", "file_permission", "\"0700\""},
};

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string_view::npos) {
      j = text.size();
    }
    if (j > i) {
      out.emplace_back(text.substr(i, j - i));
    }
    i = j + 1;
  }
  return out;
}

}  // namespace

AwsResourceSchemas::AwsResourceSchemas() {
  for (const TypeEntry& entry : kTypes) {
    TypeInfo info;
    info.computed = Words(entry.computed);
    info.computed.push_back("id");
    std::sort(info.computed.begin(), info.computed.end());
    info.computed.erase(std::unique(info.computed.begin(), info.computed.end()),
                        info.computed.end());
    info.sensitive = Words(entry.sensitive);
    std::sort(info.sensitive.begin(), info.sensitive.end());
    for (std::string& block : Words(entry.blocks)) {
      info.blocks.insert(std::move(block));
    }
    types_.emplace(entry.type, std::move(info));
  }
  for (const DefaultEntry& entry : kDefaults) {
    Result<hcl::Value> value = hcl::ValueFromJson(entry.json);
    if (!value.ok()) {
      std::fprintf(stderr, "internal error: bad default %s.%s\n", entry.type, entry.name);
      std::abort();
    }
    TypeInfo& info = types_[entry.type];
    std::string_view when = entry.only_when;
    if (when.empty()) {
      info.defaults[entry.name] = *value;
      continue;
    }
    size_t eq = when.find('=');
    if (eq == std::string_view::npos) {
      std::fprintf(stderr, "internal error: bad default condition %s.%s\n", entry.type, entry.name);
      std::abort();
    }
    info.conditional_defaults.push_back(ConditionalDefault{
        entry.name, *value, std::string(when.substr(0, eq)), std::string(when.substr(eq + 1))});
  }
}

hcl::ValueMap AwsResourceSchemas::Defaults(std::string_view type) const {
  return Defaults(type, hcl::ValueMap{});
}

hcl::ValueMap AwsResourceSchemas::Defaults(std::string_view type,
                                           const hcl::ValueMap& config) const {
  auto it = types_.find(type);
  if (it == types_.end()) {
    return {};
  }
  const TypeInfo& info = it->second;
  hcl::ValueMap out = info.defaults;
  for (const ConditionalDefault& d : info.conditional_defaults) {
    const hcl::Value* when = nullptr;
    auto set = config.find(d.when_name);
    if (set != config.end() && !set->second.IsNull()) {
      when = &set->second;
    } else {
      auto fallback = info.defaults.find(d.when_name);
      if (fallback != info.defaults.end()) {
        when = &fallback->second;
      }
    }
    if (when != nullptr && when->IsKnown() && !when->IsNull() &&
        when->type() == hcl::Type::String() && when->UnmarkDeep().AsString() == d.when_value) {
      out[d.name] = d.value;
    }
  }
  return out;
}

std::vector<std::string> AwsResourceSchemas::Computed(std::string_view type) const {
  auto it = types_.find(type);
  if (it == types_.end()) {
    return {"id"};
  }
  return it->second.computed;
}

std::vector<std::string> AwsResourceSchemas::Sensitive(std::string_view type) const {
  auto it = types_.find(type);
  return it == types_.end() ? std::vector<std::string>{} : it->second.sensitive;
}

bool AwsResourceSchemas::IsBlock(std::string_view type, std::string_view path) const {
  if (path == "timeouts") {
    return true;
  }
  auto it = types_.find(type);
  return it != types_.end() && it->second.blocks.count(path) > 0;
}

bool AwsResourceSchemas::IsMap(std::string_view type, std::string_view path) const {
  size_t dot = path.rfind('.');
  std::string_view last = dot == std::string_view::npos ? path : path.substr(dot + 1);
  if (last == "tags" || last == "tags_all") {
    return true;
  }
  static constexpr std::pair<std::string_view, std::string_view> kMaps[] = {
      {"aws_lambda_function", "environment.variables"},
      {"aws_eks_node_group", "labels"},
      {"aws_cloudwatch_event_target", "input_transformer.input_paths"},
  };
  for (const auto& [t, p] : kMaps) {
    if (t == type && p == path) {
      return true;
    }
  }
  return false;
}

bool AwsResourceSchemas::Knows(std::string_view type) const {
  return types_.find(type) != types_.end();
}

std::string AwsResourceSchemas::ProviderName(std::string_view type) {
  std::string_view provider = "aws";
  size_t underscore = type.find('_');
  if (underscore != std::string_view::npos) {
    std::string_view prefix = type.substr(0, underscore);
    if (prefix == "tls" || prefix == "random" || prefix == "null" || prefix == "local") {
      provider = prefix;
    }
  }
  return "registry.terraform.io/hashicorp/" + std::string(provider);
}

}  // namespace cf::provider
