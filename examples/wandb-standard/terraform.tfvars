license = "example-license"
