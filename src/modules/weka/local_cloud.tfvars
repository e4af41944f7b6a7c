# Defaults used instead of the variables' own when the provider points at the local cloud.
# The public module's 10.0.0.0/16 layout, moved into 127.10.0.0/16 (the local cloud hands out
# loopback addresses only).
vpc_cidr                         = "127.10.0.0/16"
subnets_cidrs                    = ["127.10.1.0/24"]
nat_public_subnet_cidr           = "127.10.2.0/24"
alb_additional_subnet_cidr_block = "127.10.3.0/24"
