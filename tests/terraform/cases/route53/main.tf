resource "aws_route53_zone" "z" {
  name = "harness.example.com"
  tags = {
    Purpose = "harness"
  }
}

resource "aws_route53_record" "www" {
  zone_id = aws_route53_zone.z.zone_id
  name    = "www.harness.example.com"
  type    = "A"
  ttl     = 300
  records = ["127.30.0.10"]
}
