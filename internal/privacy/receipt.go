package privacy

import (
	"context"
	"fmt"
	"net/url"

	"github.com/haven-forum/haven/internal/paths"
)

// ReceiptVersion names the specification a receipt follows: Kantara Initiative Consent
// Receipt Specification v1.1.0.
const ReceiptVersion = "KI-CR-v1.1.0"

// Receipt is one consent change as a Kantara Consent Receipt v1.1, for the member to keep.
// Field names are the specification's; "haven:" fields are Haven's extension.
type Receipt struct {
	Version          string           `json:"version"`
	Jurisdiction     string           `json:"jurisdiction"`
	ConsentTimestamp int64            `json:"consentTimestamp"` // Unix seconds
	CollectionMethod string           `json:"collectionMethod"`
	ConsentReceiptID string           `json:"consentReceiptID"`
	Language         string           `json:"language"`
	PIIPrincipalID   string           `json:"piiPrincipalId"`
	PIIControllers   []PIIController  `json:"piiControllers"`
	PolicyURL        string           `json:"policyUrl"`
	Services         []ReceiptService `json:"services"`
	Sensitive        bool             `json:"sensitive"`
	SPICat           []string         `json:"spiCat"`

	// The specification describes a grant; Haven issues a receipt for a withdrawal too.
	Action         string `json:"haven:action"` // "granted" or "withdrawn"
	PurposeKey     string `json:"haven:purposeKey"`
	PurposeVersion int    `json:"haven:purposeVersion"` // the wording agreed to (or withdrawn from)
	Note           string `json:"haven:note,omitempty"`
}

// PIIController is who is responsible for the data.
type PIIController struct {
	PIIController    string `json:"piiController"`
	Contact          string `json:"contact"`
	Address          string `json:"address"` // required by v1.1: empty until the operator sets it
	Email            string `json:"email"`
	Phone            string `json:"phone"`
	PIIControllerURL string `json:"piiControllerUrl,omitempty"`
}

// ReceiptService is the service the purposes belong to.
type ReceiptService struct {
	Service  string           `json:"service"`
	Purposes []ReceiptPurpose `json:"purposes"`
}

// ReceiptPurpose is one purpose as the specification describes it.
type ReceiptPurpose struct {
	Purpose              string   `json:"purpose"`
	PurposeCategory      []string `json:"purposeCategory"`
	ConsentType          string   `json:"consentType"`
	PIICategory          []string `json:"piiCategory"`
	PrimaryPurpose       bool     `json:"primaryPurpose"`
	Termination          string   `json:"termination"`
	ThirdPartyDisclosure bool     `json:"thirdPartyDisclosure"`
}

// Receipt returns the consent receipt for one of the viewer's consent changes; another
// member's receipt is ENOTFOUND, like one that does not exist.
func (s *Service) Receipt(ctx context.Context, receiptID string) (Receipt, error) {
	rec, err := s.ConsentRecord(ctx, receiptID)
	if err != nil {
		return Receipt{}, err
	}
	p, known := Lookup(rec.Purpose)
	r := Receipt{
		Version:          ReceiptVersion,
		Jurisdiction:     s.Controller.Jurisdiction,
		ConsentTimestamp: rec.CreatedAt.Unix(),
		CollectionMethod: collectionMethod(rec.Method),
		ConsentReceiptID: rec.ReceiptID,
		Language:         "en",
		// Not the username: a receipt saved on a shared device should not name the account.
		PIIPrincipalID: fmt.Sprintf("haven-member-%d", rec.MemberID),
		PIIControllers: []PIIController{{PIIController: s.Controller.Name, Contact: s.Controller.Contact,
			Address: s.Controller.Address, Email: s.Controller.Email, Phone: s.Controller.Phone,
			PIIControllerURL: siteURL(s.Controller.PolicyURL)}},
		PolicyURL: s.Controller.PolicyURL,
		Services: []ReceiptService{{Service: "Haven", Purposes: []ReceiptPurpose{{
			Purpose:         p.Sentence,
			PurposeCategory: nonNil([]string{p.PurposeCategory}),
			ConsentType:     "EXPLICIT",
			PIICategory:     nonNil(p.PIICategory),
			// Every purpose is optional: Haven works in full with all of them off.
			PrimaryPurpose:       false,
			Termination:          p.Retention + " You can switch it off on your privacy page at any time, and it stops at once.",
			ThirdPartyDisclosure: false,
		}}}},
		SPICat:         []string{},
		Action:         "withdrawn",
		PurposeKey:     rec.Purpose,
		PurposeVersion: rec.Version,
	}
	if r.PolicyURL == "" {
		r.PolicyURL = paths.PrivacyPolicy
	}
	if rec.Granted {
		r.Action = "granted"
	}
	// Support groups are about health, so what is learnt there is health data.
	if r.Sensitive = p.Sensitive || !known; r.Sensitive {
		r.SPICat = []string{"Health"}
	}
	switch {
	case !known:
		r.Services[0].Purposes[0] = ReceiptPurpose{Purpose: rec.Purpose, PurposeCategory: []string{}, ConsentType: "EXPLICIT",
			PIICategory: []string{}, Termination: "Haven no longer offers this purpose, so nothing is recorded for it."}
		r.Note = "Haven no longer offers this purpose."
	case p.Version != rec.Version:
		r.Note = fmt.Sprintf("The wording above is version %d. This receipt is for version %d, whose wording has since changed; "+
			"an agreement to an earlier version has lapsed.", p.Version, rec.Version)
	}
	return r, nil
}

func collectionMethod(method string) string {
	if method == MethodSignUpPrompt {
		return "Haven welcome screen"
	}
	return "Haven privacy dashboard"
}

// siteURL returns the scheme and host of the policy's address: the controller's own site.
func siteURL(policyURL string) string {
	u, err := url.Parse(policyURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// nonNil keeps empty lists as [] in JSON, as the specification's arrays require.
func nonNil(s []string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
