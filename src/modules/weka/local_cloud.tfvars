# Defaults used instead of the variables' own when the provider points at the local cloud.
