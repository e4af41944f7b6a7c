# Aurora MySQL cluster "<ns>": a writer and a reader in another zone (failover), parameter
# groups, enhanced monitoring, Performance Insights, encrypted with the database key; its
# master password from a CSPRNG, kept in Secrets Manager.

resource "random_password" "database_master" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "database" {
  name                    = "${local.ns}-database-master"
  description             = "Aurora master credentials of the W&B deployment ${local.ns}"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = 7

  tags = local.tags
}

resource "aws_secretsmanager_secret_version" "database" {
  secret_id = aws_secretsmanager_secret.database.id
  secret_string = jsonencode({
    engine   = "mysql"
    host     = aws_rds_cluster.this.endpoint
    port     = 3306
    username = var.database_master_username
    password = random_password.database_master.result
    dbname   = var.database_name
  })
}

resource "aws_security_group" "database" {
  name        = "${local.ns}-aurora"
  description = "Aurora MySQL of ${local.ns}: MySQL from the EKS nodes only"
  vpc_id      = local.vpc_id

  tags = merge(local.tags, { Name = "${local.ns}-aurora" })
}

resource "aws_security_group_rule" "database_from_primary_workers" {
  type                     = "ingress"
  description              = "MySQL from the EKS nodes"
  security_group_id        = aws_security_group.database.id
  source_security_group_id = aws_security_group.primary_workers.id
  protocol                 = "tcp"
  from_port                = 3306
  to_port                  = 3306
}

resource "aws_rds_cluster_parameter_group" "this" {
  name        = "${local.ns}-aurora-80-cluster-parameter-group"
  family      = "aurora-mysql8.0"
  description = "Cluster parameters of ${local.ns}"

  parameter {
    name         = "binlog_format"
    value        = "ROW"
    apply_method = "pending-reboot"
  }
  parameter {
    name  = "innodb_online_alter_log_max_size"
    value = "268435456"
  }
  parameter {
    name  = "binlog_row_image"
    value = "minimal"
  }

  tags = local.tags
}

resource "aws_db_parameter_group" "this" {
  name        = "${local.ns}-aurora-db-80-parameter-group"
  family      = "aurora-mysql8.0"
  description = "Instance parameters of ${local.ns}"

  parameter {
    name         = "performance_schema"
    value        = "1"
    apply_method = "pending-reboot"
  }
  parameter {
    name         = "slow_query_log"
    value        = "1"
    apply_method = "pending-reboot"
  }
  parameter {
    name  = "long_query_time"
    value = "4"
  }
  parameter {
    name         = "max_prepared_stmt_count"
    value        = "1048576"
    apply_method = "pending-reboot"
  }
  parameter {
    name  = "max_execution_time"
    value = "60000"
  }
  parameter {
    name  = "sort_buffer_size"
    value = tostring(var.database_sort_buffer_size)
  }
  parameter {
    name  = "innodb_lru_scan_depth"
    value = "128"
  }

  tags = local.tags
}

resource "aws_iam_role" "database_monitoring" {
  name = "${local.ns}-aurora-monitoring"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "monitoring.rds.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  tags = local.tags
}

resource "aws_iam_role_policy_attachment" "database_monitoring" {
  role       = aws_iam_role.database_monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_rds_cluster" "this" {
  cluster_identifier                  = local.ns
  engine                              = "aurora-mysql"
  engine_version                      = var.database_engine_version
  database_name                       = var.database_name
  master_username                     = var.database_master_username
  master_password                     = random_password.database_master.result
  snapshot_identifier                 = var.database_snapshot_identifier
  db_subnet_group_name                = aws_db_subnet_group.this.name
  vpc_security_group_ids              = [aws_security_group.database.id]
  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.this.name
  storage_encrypted                   = true
  kms_key_id                          = local.database_kms_key_arn
  iam_database_authentication_enabled = false
  backup_retention_period             = 14
  preferred_backup_window             = "02:00-03:00"
  preferred_maintenance_window        = "sun:05:00-sun:06:00"
  apply_immediately                   = true
  allow_major_version_upgrade         = true
  copy_tags_to_snapshot               = true
  enabled_cloudwatch_logs_exports     = ["audit", "error", "general", "slowquery"]
  deletion_protection                 = var.deletion_protection
  # A protected database keeps a final snapshot when it is finally destroyed.
  skip_final_snapshot       = !var.deletion_protection
  final_snapshot_identifier = var.deletion_protection ? "${local.ns}-final" : null

  tags = local.tags
}

# Instance 0 is the writer, instance 1 a reader in the next zone that Aurora promotes on
# failover.
resource "aws_rds_cluster_instance" "this" {
  count = 2

  identifier                            = "${local.ns}-${count.index + 1}"
  cluster_identifier                    = aws_rds_cluster.this.id
  engine                                = aws_rds_cluster.this.engine
  engine_version                        = aws_rds_cluster.this.engine_version
  instance_class                        = local.database_instance_class
  db_subnet_group_name                  = aws_db_subnet_group.this.name
  db_parameter_group_name               = aws_db_parameter_group.this.name
  availability_zone                     = var.create_vpc ? local.azs[count.index] : null
  publicly_accessible                   = false
  apply_immediately                     = true
  promotion_tier                        = count.index
  monitoring_interval                   = 15
  monitoring_role_arn                   = aws_iam_role.database_monitoring.arn
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = local.performance_insights_kms_key_arn
  performance_insights_retention_period = 7

  tags = local.tags
}
