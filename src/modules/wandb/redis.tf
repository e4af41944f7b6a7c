# ElastiCache Redis "<ns>-rep-group" (when create_elasticache and no other Redis is chosen):
# two nodes in two zones with automatic failover, encrypted at rest with the database key and
# in transit with TLS.

resource "aws_security_group" "redis" {
  count = local.create_redis ? 1 : 0

  name        = "${local.ns}-elasticache-security-group"
  description = "ElastiCache of ${local.ns}: Redis from the EKS nodes only"
  vpc_id      = local.vpc_id

  tags = merge(local.tags, { Name = "${local.ns}-elasticache-security-group" })
}

resource "aws_security_group_rule" "redis_from_primary_workers" {
  count = local.create_redis ? 1 : 0

  type                     = "ingress"
  description              = "Redis from the EKS nodes"
  security_group_id        = aws_security_group.redis[0].id
  source_security_group_id = aws_security_group.primary_workers.id
  protocol                 = "tcp"
  from_port                = 6379
  to_port                  = 6379
}

resource "aws_elasticache_replication_group" "this" {
  count = local.create_redis ? 1 : 0

  replication_group_id       = "${local.ns}-rep-group"
  description                = "Redis of the W&B deployment ${local.ns}"
  engine                     = "redis"
  engine_version             = "7.1"
  parameter_group_name       = "default.redis7"
  node_type                  = local.cache_node_type
  num_cache_clusters         = 2
  port                       = 6379
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.this[0].name
  security_group_ids         = [aws_security_group.redis[0].id]
  at_rest_encryption_enabled = true
  kms_key_id                 = local.database_kms_key_arn
  transit_encryption_enabled = true
  snapshot_retention_limit   = 1
  maintenance_window         = "sun:03:00-sun:04:00"
  apply_immediately          = true

  tags = local.tags
}
