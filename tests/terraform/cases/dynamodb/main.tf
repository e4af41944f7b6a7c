resource "aws_dynamodb_table" "table" {
  name         = "tf-table"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "Id"
  attribute {
    name = "Id"
    type = "S"
  }
  tags = {
    Purpose = "harness"
  }
}

resource "aws_dynamodb_table_item" "item" {
  table_name = aws_dynamodb_table.table.name
  hash_key   = aws_dynamodb_table.table.hash_key
  item       = jsonencode({ Id = { S = "one" }, Size = { N = "3" } })
}
