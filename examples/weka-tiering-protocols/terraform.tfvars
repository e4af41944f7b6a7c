# A placeholder token: enough for validate and plan. apply on AWS needs a real one from
# get.weka.io (the local cloud's WEKA simulator accepts any).
get_weka_io_token = "example-token"
