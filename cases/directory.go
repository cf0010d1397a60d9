package cases

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/poort-nl/poort/lifeevents"
)

// Directory tells the dispatcher where each chain partner takes its
// notifications.
type Directory interface {
	// Endpoint returns the URL to POST the partner's notifications to, or
	// an error when the partner has none.
	Endpoint(partnerID string) (string, error)
}

// PartnerPlaceholder in a directory's default URL is replaced by the
// partner's id.
const PartnerPlaceholder = "{partner}"

// PartnerDirectory is a Directory from configuration: a URL per partner,
// and a default URL template for the others.
//
// As YAML (JSON works too):
//
//	default: http://127.0.0.1:9300/partners/{partner}/notifications
//	partners:
//	  svb: https://intake.svb.example/poort/notifications
//	  uwv: https://intake.uwv.example/v1/notifications
type PartnerDirectory struct {
	// Default is used for partners not listed; PartnerPlaceholder in it is
	// replaced by the partner's id. Empty means no default.
	Default string `json:"default,omitempty" yaml:"default,omitempty"`
	// Partners maps partner ids to endpoint URLs.
	Partners map[string]string `json:"partners,omitempty" yaml:"partners,omitempty"`
}

// ErrNoEndpoint means the directory has no endpoint for a partner.
var ErrNoEndpoint = errors.New("no endpoint configured for partner")

// Endpoint returns the partner's URL.
func (d *PartnerDirectory) Endpoint(partnerID string) (string, error) {
	if u, ok := d.Partners[partnerID]; ok {
		return u, nil
	}
	if d.Default != "" {
		return strings.ReplaceAll(d.Default, PartnerPlaceholder, url.PathEscape(partnerID)), nil
	}
	return "", fmt.Errorf("%w %q", ErrNoEndpoint, partnerID)
}

// Validate checks that every URL is an absolute http or https URL.
func (d *PartnerDirectory) Validate() error {
	var problems []string
	if d.Default != "" {
		if err := checkEndpointURL(strings.ReplaceAll(d.Default, PartnerPlaceholder, "partner")); err != nil {
			problems = append(problems, "default: "+err.Error())
		}
	}
	ids := make([]string, 0, len(d.Partners))
	for id := range d.Partners {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := checkEndpointURL(d.Partners[id]); err != nil {
			problems = append(problems, fmt.Sprintf("partner %q: %v", id, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("partner directory: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Missing returns the catalogue's partners that the directory has no
// endpoint for, in catalogue order. Notifications to them are parked after
// their retries, so start-up should at least warn about them.
func (d *PartnerDirectory) Missing(cat *lifeevents.Catalogue) []string {
	var out []string
	for _, p := range cat.Partners() {
		if _, err := d.Endpoint(p.ID); err != nil {
			out = append(out, p.ID)
		}
	}
	return out
}

func checkEndpointURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}

// ParseDirectory reads a directory as YAML or JSON and validates it.
func ParseDirectory(data []byte) (*PartnerDirectory, error) {
	var d PartnerDirectory
	if err := yaml.UnmarshalWithOptions(data, &d, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("partner directory: %w", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// LoadDirectory reads the directory from a YAML or JSON file.
func LoadDirectory(path string) (*PartnerDirectory, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("partner directory: %w", err)
	}
	return ParseDirectory(b)
}

// DirectoryFromConfig reads the directory from a configuration value, such
// as the POORT_PARTNER_DIRECTORY environment variable: inline JSON when it
// starts with "{", otherwise the path of a YAML or JSON file.
func DirectoryFromConfig(value string) (*PartnerDirectory, error) {
	v := strings.TrimSpace(value)
	if strings.HasPrefix(v, "{") {
		return ParseDirectory([]byte(v))
	}
	return LoadDirectory(v)
}

// MockDirectory sends every partner's notifications to the mock partner
// server at baseURL (mocks/partners), as in development and tests.
func MockDirectory(baseURL string) *PartnerDirectory {
	return &PartnerDirectory{Default: strings.TrimRight(baseURL, "/") + "/partners/" + PartnerPlaceholder + "/notifications"}
}
