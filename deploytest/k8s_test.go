package deploytest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// k8sDir is where the k8s component puts its manifests.
const k8sDir = "deploy/k8s"

// TestKubernetesManifests decodes the manifests strictly into the Kubernetes
// API types, so that a misspelt or misplaced field fails, and checks what
// the service needs from them, for every set of components that changes
// them and every golden tree that has them.
func TestKubernetesManifests(t *testing.T) {
	cases := deployCombinations(t, []string{"k8s"}, []string{"metrics", "postgres", "redis"})
	cases = append(cases, goldenDeployCases(t, k8sDir+"/deployment.yaml")...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkK8s(t, c) })
	}
}

// decodeStrict decodes a one-document manifest into v, refusing unknown and
// duplicate fields.
func decodeStrict(t *testing.T, dir, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(k8sDir), name))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if strings.TrimSpace(line) == "---" {
			t.Fatalf("%s holds more than one document", name)
		}
	}
	if err := yaml.UnmarshalStrict(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func checkK8s(t *testing.T, c deployCase) {
	// Ownership: the files that depend on the components are twelve's and
	// say where the user's changes go; the others are the user's.
	for name, owned := range map[string]bool{"deployment.yaml": true, "configmap.yaml": true, "service.yaml": false, "kustomization.yaml": false} {
		file := filepath.Join(c.dir, filepath.FromSlash(k8sDir), name)
		first := firstLine(t, file)
		if owned != (first == generatedMarker) {
			t.Errorf("%s: first line %q; owned by twelve: %v", name, first, owned)
		}
		data, _ := os.ReadFile(file)
		if owned && !strings.Contains(string(data), "kustomize patch in kustomization.yaml") {
			t.Errorf("%s does not tell users to use a kustomize patch for their changes", name)
		}
	}

	var dep appsv1.Deployment
	var cm corev1.ConfigMap
	var svc corev1.Service
	decodeStrict(t, c.dir, "deployment.yaml", &dep)
	decodeStrict(t, c.dir, "configmap.yaml", &cm)
	decodeStrict(t, c.dir, "service.yaml", &svc)
	for _, tm := range []struct {
		got  metav1.TypeMeta
		want string
	}{{dep.TypeMeta, "apps/v1 Deployment"}, {cm.TypeMeta, "v1 ConfigMap"}, {svc.TypeMeta, "v1 Service"}} {
		if got := tm.got.APIVersion + " " + tm.got.Kind; got != tm.want {
			t.Errorf("kind %q, want %q", got, tm.want)
		}
	}

	// Every object's name is one the API server takes, whatever the
	// service's name (my_svc has an underscore, which none allows).
	for _, n := range []struct {
		what, name string
		valid      func(string) []string
	}{
		{"Deployment", dep.Name, validation.IsDNS1123Subdomain},
		{"ConfigMap", cm.Name, validation.IsDNS1123Subdomain},
		{"Service", svc.Name, validation.IsDNS1035Label},
	} {
		if errs := n.valid(n.name); len(errs) > 0 {
			t.Errorf("%s name %q: %s", n.what, n.name, strings.Join(errs, "; "))
		}
	}
	for _, ctr := range dep.Spec.Template.Spec.Containers {
		if errs := validation.IsDNS1123Label(ctr.Name); len(errs) > 0 {
			t.Errorf("container name %q: %s", ctr.Name, strings.Join(errs, "; "))
		}
	}
	for _, v := range dep.Spec.Template.Spec.Volumes {
		if v.Secret != nil {
			if errs := validation.IsDNS1123Subdomain(v.Secret.SecretName); len(errs) > 0 {
				t.Errorf("secret name %q: %s", v.Secret.SecretName, strings.Join(errs, "; "))
			}
		}
	}

	// The pods belong to the Deployment and to the Service.
	podLabels := labels.Set(dep.Spec.Template.Labels)
	sel, err := metav1.LabelSelectorAsSelector(dep.Spec.Selector)
	if err != nil || sel.Empty() || !sel.Matches(podLabels) {
		t.Errorf("deployment selector %v does not select its pods %v: %v", dep.Spec.Selector, podLabels, err)
	}
	if len(svc.Spec.Selector) == 0 || !labels.SelectorFromSet(svc.Spec.Selector).Matches(podLabels) {
		t.Errorf("service selector %v does not select the pods %v", svc.Spec.Selector, podLabels)
	}

	pod := dep.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	ctr := pod.Containers[0]
	if ctr.Image != c.svc {
		t.Errorf("image %q, want %q (kustomize images: sets the registry)", ctr.Image, c.svc)
	}
	port := c.varDefault(t, "PORT")
	portOf := func(p intstr.IntOrString) int32 {
		for _, cp := range ctr.Ports {
			if (p.Type == intstr.String && p.StrVal == cp.Name) || (p.Type == intstr.Int && p.IntVal == cp.ContainerPort) {
				return cp.ContainerPort
			}
		}
		return 0
	}
	for _, sp := range svc.Spec.Ports {
		if got := portOf(sp.TargetPort); got != int32(atoi(t, port)) {
			t.Errorf("service port %s goes to %v, port %d; want the service's PORT %s", sp.Name, sp.TargetPort.String(), got, port)
		}
	}

	// Probes: alive on /-/healthy, ready on /-/ready, on the service's port.
	for _, p := range []struct {
		name  string
		probe *corev1.Probe
		path  string
	}{{"startup", ctr.StartupProbe, "/-/healthy"}, {"liveness", ctr.LivenessProbe, "/-/healthy"}, {"readiness", ctr.ReadinessProbe, "/-/ready"}} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s probe: none over HTTP", p.name)
			continue
		}
		if p.probe.HTTPGet.Path != p.path || portOf(p.probe.HTTPGet.Port) != int32(atoi(t, port)) {
			t.Errorf("%s probe: GET %s on port %v, want %s on %s", p.name, p.probe.HTTPGet.Path, p.probe.HTTPGet.Port.String(), p.path, port)
		}
	}

	// Start-up: the service listens only once its backing services answer
	// (connecting to all at once), so the startup probe must wait longer
	// than the longest connect timeout, or liveness would restart it.
	var connect time.Duration
	for _, v := range c.vars {
		if strings.HasSuffix(v.Name, "_CONNECT_TIMEOUT") {
			d, err := time.ParseDuration(v.Default)
			if err != nil {
				t.Fatal(err)
			}
			connect = max(connect, d)
		}
	}
	if sp := ctr.StartupProbe; sp != nil {
		if window := time.Duration(sp.PeriodSeconds*sp.FailureThreshold) * time.Second; window < connect+5*time.Second {
			t.Errorf("startup probe waits %v, want at least the longest connect timeout %v and 5s", window, connect)
		}
	}

	// Shutdown: Kubernetes waits longer than the service takes.
	if g := pod.TerminationGracePeriodSeconds; g == nil || time.Duration(*g)*time.Second <= c.shutdown(t) {
		t.Errorf("terminationGracePeriodSeconds = %s, want above SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT = %v", ptrString(g), c.shutdown(t))
	}

	// Security: non-root, read-only, no privileges.
	psc, sc := pod.SecurityContext, ctr.SecurityContext
	if psc == nil || sc == nil {
		t.Fatal("no security context on the pod or the container")
	}
	if psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Errorf("pod security context %+v: want runAsNonRoot and a numeric non-root runAsUser", psc)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Error("root filesystem is writable")
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Error("privilege escalation is allowed")
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
		t.Error("capabilities: ALL is not dropped")
	}
	seccomp := psc.SeccompProfile
	if sc.SeccompProfile != nil {
		seccomp = sc.SeccompProfile
	}
	if seccomp == nil || seccomp.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("seccomp profile %+v, want RuntimeDefault", seccomp)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pod gets a service account token it does not use")
	}

	// Resources: requests for the scheduler, a memory limit.
	req, lim := ctr.Resources.Requests, ctr.Resources.Limits
	if req.Cpu().IsZero() || req.Memory().IsZero() || lim.Memory().IsZero() || req.Memory().Cmp(*lim.Memory()) > 0 {
		t.Errorf("resources %+v: want cpu and memory requests, and a memory limit above the request", ctr.Resources)
	}

	// Variables: the service's list, from the ConfigMap, and secrets as
	// files from a Secret volume.
	if len(ctr.EnvFrom) != 1 || ctr.EnvFrom[0].ConfigMapRef == nil || ctr.EnvFrom[0].ConfigMapRef.Name != cm.Name || ctr.EnvFrom[0].Prefix != "" {
		t.Errorf("envFrom %+v, want the ConfigMap %s", ctr.EnvFrom, cm.Name)
	}
	secretVolumes := map[string]string{} // volume -> secret name
	for _, v := range pod.Volumes {
		if v.Secret != nil {
			secretVolumes[v.Name] = v.Secret.SecretName
			if len(v.Secret.Items) > 0 {
				t.Errorf("volume %s: items %v; want every key of the Secret as a file", v.Name, v.Secret.Items)
			}
		}
	}
	// inSecret returns the key of the secret file at p, or "".
	inSecret := func(p string) string {
		for _, m := range ctr.VolumeMounts {
			if _, ok := secretVolumes[m.Name]; ok && m.ReadOnly && m.SubPath == "" && path.Dir(p) == path.Clean(m.MountPath) {
				return path.Base(p)
			}
		}
		return ""
	}
	got := map[string]string{}
	for k, v := range cm.Data {
		got[k] = v
	}
	secretFile := map[string]string{}
	for _, e := range ctr.Env {
		if e.ValueFrom != nil {
			t.Errorf("env %s comes from %+v, want a value", e.Name, e.ValueFrom)
		}
		if _, dup := got[e.Name]; dup {
			t.Errorf("env %s is set both in the ConfigMap and in the Deployment", e.Name)
		}
		got[e.Name] = e.Value
		if name, ok := strings.CutSuffix(e.Name, "_FILE"); ok {
			secretFile[name] = e.Value
		}
	}
	want := c.wantEnv(func(name string) string { return secretFile[name] })
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v || v == "" {
			t.Errorf("env %s = %q, want %q", k, g, v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("env %s is not a variable of the service", k)
		}
	}
	for _, name := range c.secrets() {
		if key := inSecret(secretFile[name]); key != name {
			t.Errorf("%s_FILE=%s is not the key %s of a secret volume mounted read-only", name, secretFile[name], name)
		}
	}
	if len(c.secrets()) == 0 && len(secretVolumes) > 0 {
		t.Errorf("secret volumes %v without secrets", secretVolumes)
	}

	checkKustomization(t, c)
}

// checkKustomization decodes kustomization.yaml strictly and checks that it
// applies every manifest of deploy/k8s; kubectl kustomize builds it when
// kubectl is installed.
func checkKustomization(t *testing.T, c deployCase) {
	var k struct {
		APIVersion string   `json:"apiVersion"`
		Kind       string   `json:"kind"`
		Resources  []string `json:"resources"`
	}
	decodeStrict(t, c.dir, "kustomization.yaml", &k)
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		t.Errorf("kustomization.yaml is a %s %s", k.APIVersion, k.Kind)
	}
	manifests, err := filepath.Glob(filepath.Join(c.dir, filepath.FromSlash(k8sDir), "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range manifests {
		if b := filepath.Base(m); b != "kustomization.yaml" {
			want = append(want, b)
		}
	}
	if got := slices.Sorted(slices.Values(k.Resources)); !slices.Equal(got, want) {
		t.Errorf("kustomization.yaml applies %v, want every manifest %v", got, want)
	}

	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		return // optional: kustomize's own check of the same files
	}
	out, err := exec.Command(kubectl, "kustomize", filepath.Join(c.dir, filepath.FromSlash(k8sDir))).Output()
	if err != nil {
		t.Fatalf("kubectl kustomize: %v", err)
	}
	var kinds []string
	for doc := range strings.SplitSeq(string(out), "\n---\n") {
		var obj metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
			t.Fatalf("kubectl kustomize: %v", err)
		}
		kinds = append(kinds, obj.Kind)
	}
	slices.Sort(kinds)
	if want := []string{"ConfigMap", "Deployment", "Service"}; !slices.Equal(kinds, want) {
		t.Errorf("kubectl kustomize built %v, want %v", kinds, want)
	}
}

// TestKubernetesUserFilesStandAlone checks the ownership rule for the k8s
// component's own files: those twelve does not own are written once, so
// they must not depend on the other components or the variables.
func TestKubernetesUserFilesStandAlone(t *testing.T) {
	cases := deployCombinations(t, []string{"k8s"}, []string{"metrics", "postgres", "redis"})
	first := map[string][]byte{}
	for _, c := range cases {
		for _, name := range []string{"service.yaml", "kustomization.yaml"} {
			data, err := os.ReadFile(filepath.Join(c.dir, filepath.FromSlash(k8sDir), name))
			if err != nil {
				t.Fatal(err)
			}
			key := c.svc + " " + name // the same answers but the components
			if prev, ok := first[key]; !ok {
				first[key] = data
			} else if !bytes.Equal(prev, data) {
				t.Errorf("%s: %s differs from the first combination's: it depends on the components", c.name, name)
			}
		}
	}
}

func ptrString[T any](p *T) string {
	if p == nil {
		return "unset"
	}
	return fmt.Sprint(*p)
}
