# The cluster state (reference §2.7): a DynamoDB table (or the user's) with the state item
# seeded for the backends and, with NFS gateways, for the NFS group. The lock carries an
# owner and a lease expiry (Unix seconds) besides the public module's Locked flag, so a
# function killed while holding it cannot block the cluster forever.

locals {
  dynamodb_table_name = var.dynamodb_table_name != "" ? var.dynamodb_table_name : aws_dynamodb_table.state[0].name
  # Spelled out from the name, so policies naming the table read in full at plan time.
  dynamodb_table_arn = "arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/${local.dynamodb_table_name}"

  state_items = merge(
    { backend = local.state_key },
    var.nfs_protocol_gateways_number > 0 ? { nfs = local.nfs_state_key } : {},
  )
  state_sizes = {
    backend = var.cluster_size
    nfs     = var.nfs_protocol_gateways_number
  }
}

resource "aws_dynamodb_table" "state" {
  count        = var.dynamodb_table_name == "" ? 1 : 0
  name         = "${local.db_prefix}-${local.cluster}-weka-deployment"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = var.dynamodb_hash_key_name

  attribute {
    name = var.dynamodb_hash_key_name
    type = "S"
  }

  server_side_encryption {
    enabled = true
  }

  tags = merge(local.tags, { Name = "${local.db_prefix}-${local.cluster}-weka-deployment" })
}

resource "aws_dynamodb_table_item" "state" {
  for_each   = local.state_items
  table_name = local.dynamodb_table_name
  hash_key   = var.dynamodb_hash_key_name
  item = jsonencode({
    (var.dynamodb_hash_key_name) = { S = each.value }
    Locked                       = { BOOL = false }
    LockOwner                    = { S = "" }
    LockExpires                  = { N = "0" }
    Value = {
      M = {
        initial_size          = { N = tostring(local.state_sizes[each.key]) }
        desired_size          = { N = tostring(local.state_sizes[each.key]) }
        clusterization_target = { N = tostring(local.state_sizes[each.key]) }
        instances             = { L = [] }
        clusterized           = { BOOL = false }
      }
    }
  })

  lifecycle {
    ignore_changes = all
  }
}
