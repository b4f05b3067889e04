https://contosoxfer01ac&se=2027-01-01T0.n-read-policy&sig=uzVfp1jq4hivtxZ1ErMImVIkWvJlj8Ws6kE775VMab8
