module example.com/app

go 1.25.0

require github.com/caarlos0/env/v11 v11.3.1
