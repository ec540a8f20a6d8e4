package merge_test

import (
	"fmt"

	"github.com/twelvefactor/twelve/internal/merge"
)

func ExampleMerge() {
	base := []byte("port: 8080\nname: svc\nlog: text\n")
	ours := []byte("port: 9090\nname: svc\nlog: text\n")   // the user changed the port
	theirs := []byte("port: 8080\nname: svc\nlog: json\n") // twelve now logs JSON
	r := merge.Merge(base, ours, theirs, merge.Labels{Ours: "yours", Base: "twelve OLD", Theirs: "twelve NEW"})
	fmt.Printf("%s%d conflicts\n", r.Text, len(r.Conflicts))

	theirs = []byte("port: 8000\nname: svc\nlog: text\n") // twelve changed the port too
	r = merge.Merge(base, ours, theirs, merge.Labels{Ours: "yours", Base: "twelve OLD", Theirs: "twelve NEW"})
	fmt.Printf("%sconflicts at lines %v\n", r.Text, r.Conflicts)
	// Output:
	// port: 9090
	// name: svc
	// log: json
	// 0 conflicts
	// <<<<<<< yours
	// port: 9090
	// ||||||| twelve OLD
	// port: 8080
	// =======
	// port: 8000
	// >>>>>>> twelve NEW
	// name: svc
	// log: text
	// conflicts at lines [1]
}
