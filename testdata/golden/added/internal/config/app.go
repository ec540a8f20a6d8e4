package config

// App is your service's own configuration: to add a setting, add a field
// here. Load fills it from the environment as it fills twelve's settings,
// with the same errors, and the env command lists it. twelve wrote this
// file once and never changes it, whatever the service's name or module.
//
// A field tagged env reads that variable, envDefault giving its default; a
// field tagged secret reads a secret, which must be set, from the variable
// or from the file that NAME_FILE names. For example:
//
//	Greeting string        `env:"GREETING" envDefault:"hello"`
//	Timeout  time.Duration `env:"UPSTREAM_TIMEOUT" envDefault:"5s"`
//	APIKey   string        `secret:"API_KEY"`
//
// Handlers get it as deps.App (internal/server/routes.go). List each
// variable in .env.example and in the README too, below twelve's.
type App struct {
}
