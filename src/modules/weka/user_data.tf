# Instance boot scripts (reference §4.2). Every WEKA instance (backend, gateway, data
# services) boots the same way: ship syslog to CloudWatch, run the user's snippet, add its
# extra network interfaces, then ask the deploy function for its install script and run it.
# Unlike the public module, the script (which carries the get.weka.io token) is never
# written to disk: it goes from the function's response through a pipe into bash.

locals {
  deploy_function_name = local.lambda_names["deploy"]

  boot_groups = {
    backend = {
      protocol      = ""
      log_group     = "/wekaio/${local.ec2_prefix}-${local.cluster}"
      custom_data   = var.custom_data
      eni_count     = local.backend_eni_count
      secondary_ips = 0
      setup         = ""
    }
    nfs = {
      protocol      = "nfs"
      log_group     = "/wekaio/${local.gateway_names["nfs"]}"
      custom_data   = ""
      eni_count     = var.nfs_protocol_gateway_fe_cores_num + 1
      secondary_ips = var.nfs_protocol_gateway_secondary_ips_per_nic
      setup         = ""
    }
    smb = {
      protocol      = "smb"
      log_group     = "/wekaio/${local.gateway_names["smb"]}"
      custom_data   = ""
      eni_count     = var.smb_protocol_gateway_fe_cores_num + 1
      secondary_ips = var.smb_protocol_gateway_secondary_ips_per_nic
      setup         = var.smb_setup_protocol ? local.smb_setup_script : ""
    }
    s3 = {
      protocol      = "s3"
      log_group     = "/wekaio/${local.gateway_names["s3"]}"
      custom_data   = ""
      eni_count     = var.s3_protocol_gateway_fe_cores_num + 1
      secondary_ips = 0
      setup         = var.s3_setup_protocol ? local.s3_setup_script : ""
    }
    data = {
      protocol      = "data"
      log_group     = "/wekaio/${local.gateway_names["data"]}"
      custom_data   = ""
      eni_count     = 1
      secondary_ips = 0
      setup         = ""
    }
  }

  # Shell helpers shared by the boot and protocol scripts: IMDSv2 and function calls. Every
  # absolute path a script writes is under $ROOT: empty on AWS, the instance's own directory
  # on the local cloud (CLUSTERFORM_INSTANCE_ROOT), where instances run as this host's user.
  shell_helpers = <<-EOT
    ROOT="$${CLUSTERFORM_INSTANCE_ROOT:-}"
    region="${local.region}"
    export AWS_DEFAULT_REGION="$region" AWS_MAX_ATTEMPTS=150 AWS_RETRY_MODE=standard
    # The proxy serves installs and the CloudWatch agent only (AWS calls may go through VPC
    # endpoints that a proxy cannot reach).
    proxy_url="${var.proxy_url}"
    imds_endpoint="$${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}"
    imds_endpoint="$${imds_endpoint%/}"
    imds_token=$(curl -sS -X PUT "$imds_endpoint/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
    imds() {
      curl -sS -H "X-aws-ec2-metadata-token: $imds_token" "$imds_endpoint/latest/meta-data/$1"
    }
    # invoke FUNCTION PAYLOAD: prints the function's response (never touches the disk).
    invoke() {
      aws lambda invoke --function-name "$1" --cli-binary-format raw-in-base64-out \
        --payload "$2" /dev/fd/3 3>&1 >/dev/null
    }
    instance_id=$(imds instance-id)
  EOT

  boot_scripts = { for group, g in local.boot_groups : group => <<-EOT
    #!/bin/bash
    # WEKA ${group} boot script (clusterform built-in module weka/weka/aws).
    set -uo pipefail
    umask 077
    ${local.shell_helpers}
    yum install -y jq amazon-cloudwatch-agent || true
    cw_agent="$ROOT/opt/aws/amazon-cloudwatch-agent"
    mkdir -p "$cw_agent/etc" "$ROOT/var/log"
    cat > "$cw_agent/etc/amazon-cloudwatch-agent.json" <<'CLOUDWATCH'
    {"logs": {"logs_collected": {"files": {"collect_list": [
      {"file_path": "/var/log/messages", "log_group_name": "${g.log_group}",
       "log_stream_name": "{instance_id}-syslog"}]}}}}
    CLOUDWATCH
    if [[ -n "$proxy_url" ]]; then
      printf '[proxy]\n  https_proxy = "%s"\n' "$proxy_url" > "$cw_agent/etc/common-config.toml"
    fi
    if [[ -x "$cw_agent/bin/amazon-cloudwatch-agent-ctl" ]]; then
      "$cw_agent/bin/amazon-cloudwatch-agent-ctl" -a fetch-config -m ec2 -s \
        -c "file:$cw_agent/etc/amazon-cloudwatch-agent.json" || true
    fi

    # ---- user snippet ----
    ${g.custom_data}

    # ---- extra network interfaces ----
    mac=$(imds mac)
    subnet_id=$(imds "network/interfaces/macs/$mac/subnet-id")
    security_groups=$(imds "network/interfaces/macs/$mac/security-group-ids" | tr '\n' ' ')
    primary_eni=$(imds "network/interfaces/macs/$mac/interface-id")
    if (( ${g.secondary_ips} > 0 )); then
      aws ec2 assign-private-ip-addresses --network-interface-id "$primary_eni" \
        --secondary-private-ip-address-count ${g.secondary_ips}
    fi
    for (( i = 1; i < ${g.eni_count}; i++ )); do
      eni=$(aws ec2 create-network-interface --subnet-id "$subnet_id" --groups $security_groups \
        --description "weka ${local.cluster} ${group} $instance_id nic $i" \
        --tag-specifications "ResourceType=network-interface,Tags=[{Key=weka_cluster_name,Value=${local.cluster}}]" \
        --query NetworkInterface.NetworkInterfaceId --output text)
      attachment=$(aws ec2 attach-network-interface --network-interface-id "$eni" \
        --instance-id "$instance_id" --device-index "$i" --query AttachmentId --output text)
      aws ec2 modify-network-interface-attribute --network-interface-id "$eni" \
        --attachment "AttachmentId=$attachment,DeleteOnTermination=true"
    done

    # ---- deploy: fetch the install script from the deploy function, run it from memory ----
    payload='{"name": "'"$instance_id"'", "protocol": "${g.protocol}"}'
    deploy_script=""
    for (( attempt = 0; attempt < 60; attempt++ )); do
      # A function error answers an object ({"errorType", "errorMessage"}), not a script: retry.
      deploy_script=$(invoke "${local.deploy_function_name}" "$payload" | jq -er 'strings') && [[ -n "$deploy_script" ]] && break
      sleep 10
    done
    bash <(printf '%s\n' "$deploy_script") 2>&1 | tee -a "$ROOT/var/log/weka_deploy.log"
    unset deploy_script
    ${g.setup}
  EOT
  }

  # Waits until every gateway of the group has its frontend container UP, with the
  # deployment user's credentials from the fetch function in the environment (never argv).
  protocol_wait_script = <<-EOT
    credentials=$(invoke "${local.lambda_names["fetch"]}" '{"fetch_weka_credentials": true}')
    export WEKA_USERNAME=$(jq -r .username <<<"$credentials")
    export WEKA_PASSWORD=$(jq -r .password <<<"$credentials")
    unset credentials
    wait_for_frontends() {
      local wanted=$1 up=0
      for (( attempt = 0; attempt < 60; attempt++ )); do
        up=$(weka cluster container -F container=frontend0 -F status=UP --no-header -o id | wc -l)
        (( up >= wanted )) && return 0
        sleep 20
      done
      echo "only $up of $wanted gateway frontends are up" >&2
      return 1
    }
  EOT

  smb_setup_script = <<-EOT
    # ---- SMB: once all ${var.smb_protocol_gateways_number} gateways are up, one of them creates the cluster ----
    ${local.protocol_wait_script}
    if wait_for_frontends ${var.smb_protocol_gateways_number}; then
      ids=$(weka cluster container -F container=frontend0 --no-header -o id | paste -sd, -)
      weka smb cluster status >/dev/null 2>&1 || \
        weka smb cluster create "${var.smb_cluster_name}" "${var.smb_domain_name}" --container-ids "$ids" ${var.smbw_enabled ? "--smbw" : ""}
    fi
  EOT

  s3_setup_script = <<-EOT
    # ---- S3: once all ${var.s3_protocol_gateways_number} gateways are up, one of them creates the cluster ----
    ${local.protocol_wait_script}
    if wait_for_frontends ${var.s3_protocol_gateways_number}; then
      ids=$(weka cluster container -F container=frontend0 --no-header -o id | paste -sd, -)
      weka s3 cluster status >/dev/null 2>&1 || \
        weka s3 cluster create default .config_fs --container "$ids"
    fi
  EOT
}
