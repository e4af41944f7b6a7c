# The ACM certificate (public_access and no acm_certificate_arn) for the FQDN and the extra
# FQDNs, validated through DNS records in zone_id.

resource "aws_acm_certificate" "this" {
  count = local.create_certificate ? 1 : 0

  domain_name               = local.fqdn
  subject_alternative_names = var.extra_fqdn
  validation_method         = "DNS"

  tags = merge(local.tags, { Name = local.fqdn })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = local.create_certificate ? toset(local.all_fqdns) : toset([])

  zone_id         = var.zone_id
  allow_overwrite = true
  ttl             = 60
  name            = one([for o in aws_acm_certificate.this[0].domain_validation_options : o.resource_record_name if o.domain_name == each.key])
  type            = one([for o in aws_acm_certificate.this[0].domain_validation_options : o.resource_record_type if o.domain_name == each.key])
  records         = [one([for o in aws_acm_certificate.this[0].domain_validation_options : o.resource_record_value if o.domain_name == each.key])]
}

resource "aws_acm_certificate_validation" "this" {
  count = local.create_certificate ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for r in aws_route53_record.certificate_validation : r.fqdn]
}

locals {
  certificate_arn = (
    var.acm_certificate_arn != null ? var.acm_certificate_arn
    : (local.create_certificate ? aws_acm_certificate_validation.this[0].certificate_arn : null)
  )
}
