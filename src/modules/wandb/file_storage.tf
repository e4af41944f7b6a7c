# The file store: bucket "<ns>-file-storage-<pet>" (unless bucket_name brings one) and, unless
# the internal queue is used, an SQS queue of the same name fed by the bucket's
# object-created notifications.

resource "random_pet" "file_storage" {
  count = local.create_bucket ? 1 : 0

  length = 2
}

locals {
  # Cut to the 63 characters S3 allows (a long namespace plus two long pet words can exceed
  # it); the queue has the same name.
  file_storage_name = (
    local.create_bucket
    ? trimsuffix(substr("${local.ns}-file-storage-${random_pet.file_storage[0].id}", 0, 63), "-")
    : var.bucket_name
  )
  bucket_arn        = "arn:${local.partition}:s3:::${local.file_storage_name}"
}

resource "aws_s3_bucket" "file_storage" {
  count = local.create_bucket ? 1 : 0

  bucket        = local.file_storage_name
  force_destroy = !var.deletion_protection

  tags = local.tags
}

resource "aws_s3_bucket_ownership_controls" "file_storage" {
  count = local.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.file_storage[0].id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

resource "aws_s3_bucket_acl" "file_storage" {
  count = local.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.file_storage[0].id
  acl    = "private"

  depends_on = [aws_s3_bucket_ownership_controls.file_storage]
}

resource "aws_s3_bucket_public_access_block" "file_storage" {
  count = local.create_bucket ? 1 : 0

  bucket                  = aws_s3_bucket.file_storage[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "file_storage" {
  count = local.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.file_storage[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.bucket_kms_key_arn
    }
    bucket_key_enabled = true
  }
}

# Versioning, so that an overwritten or deleted artifact can be recovered for 30 days.
resource "aws_s3_bucket_versioning" "file_storage" {
  count = local.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.file_storage[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "file_storage" {
  count = local.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.file_storage[0].id
  rule {
    id     = "noncurrent-versions-and-incomplete-uploads"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.file_storage]
}

# Browsers and SDKs use presigned URLs on the bucket directly.
resource "aws_s3_bucket_cors_configuration" "file_storage" {
  count = local.create_bucket ? 1 : 0

  bucket = aws_s3_bucket.file_storage[0].id
  cors_rule {
    allowed_headers = ["*"]
    allowed_methods = ["GET", "HEAD", "PUT"]
    allowed_origins = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

resource "aws_s3_bucket_policy" "https_only" {
  count = local.create_bucket && var.enable_s3_https_only ? 1 : 0

  bucket = aws_s3_bucket.file_storage[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.file_storage[0].arn, "${aws_s3_bucket.file_storage[0].arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.file_storage]
}

# Encrypted with SQS-managed keys: S3 can publish to it without a key-policy grant.
resource "aws_sqs_queue" "file_storage" {
  count = local.use_internal_queue ? 0 : 1

  name                      = local.file_storage_name
  receive_wait_time_seconds = 10
  sqs_managed_sse_enabled   = true

  tags = local.tags
}

# Only S3, for this bucket in this account, may send to the queue.
resource "aws_sqs_queue_policy" "file_storage" {
  count = local.use_internal_queue ? 0 : 1

  queue_url = aws_sqs_queue.file_storage[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "BucketNotifications"
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.file_storage[0].arn
      Condition = {
        ArnEquals    = { "aws:SourceArn" = aws_s3_bucket.file_storage[0].arn }
        StringEquals = { "aws:SourceAccount" = local.account_id }
      }
    }]
  })
}

resource "aws_s3_bucket_notification" "file_storage" {
  count = local.use_internal_queue ? 0 : 1

  bucket = aws_s3_bucket.file_storage[0].id
  queue {
    queue_arn = aws_sqs_queue.file_storage[0].arn
    events    = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_sqs_queue_policy.file_storage]
}
