resource "aws_route53_zone" "z" {
  name = "acm.example.com"
}

resource "aws_acm_certificate" "cert" {
  domain_name       = "app.acm.example.com"
  validation_method = "DNS"
  tags = {
    Purpose = "harness"
  }
}

resource "aws_route53_record" "validation" {
  for_each = {
    for o in aws_acm_certificate.cert.domain_validation_options : o.domain_name => o
  }
  zone_id = aws_route53_zone.z.zone_id
  name    = each.value.resource_record_name
  type    = each.value.resource_record_type
  ttl     = 60
  records = [each.value.resource_record_value]
}

resource "aws_acm_certificate_validation" "v" {
  certificate_arn         = aws_acm_certificate.cert.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}
