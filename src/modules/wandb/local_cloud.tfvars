# Defaults used instead of the variables' own when the provider points at the local cloud:
# every CIDR inside 127.0.0.0/8 (DESIGN.md "Addresses"), same layout as the AWS defaults
# (10.10.0.0/16 becomes 127.10.0.0/16).
network_cidr                     = "127.10.0.0/16"
network_public_subnet_cidrs      = ["127.10.0.0/24", "127.10.1.0/24"]
network_private_subnet_cidrs     = ["127.10.10.0/24", "127.10.11.0/24"]
network_database_subnet_cidrs    = ["127.10.20.0/24", "127.10.21.0/24"]
network_elasticache_subnet_cidrs = ["127.10.30.0/24", "127.10.31.0/24"]
