package municipalities

import "testing"

func TestLoad(t *testing.T) {
	tab, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tab.All()); n != 342 {
		t.Fatalf("%d municipalities, want 342", n)
	}
	sum := 0
	for _, m := range tab.All() {
		sum += m.Population
	}
	if sum != 18_044_027 {
		t.Fatalf("population %d, want 18,044,027", sum)
	}
	if name, ok := tab.Name("0344"); !ok || name != "Utrecht" {
		t.Fatalf("0344 = %q, %v", name, ok)
	}
	if _, ok := tab.ByCode("GM9999"); ok {
		t.Fatal("unknown code found")
	}
}
