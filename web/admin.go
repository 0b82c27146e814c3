package web

import (
	"net/http"
	"strings"

	"github.com/haven-forum/haven/internal/apperr"
	"github.com/haven-forum/haven/internal/forum"
	"github.com/haven-forum/haven/internal/paths"
	"github.com/haven-forum/haven/views/components"
	forumview "github.com/haven-forum/haven/views/forum"
	"github.com/labstack/echo/v4"
)

// requireAdmin answers 404 to everyone but site admins: the admin area does not announce itself.
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !isAdmin(c) {
			return echo.ErrNotFound
		}
		return next(c)
	}
}

// isAdmin is passed on to services that check the role again, so a route outside /admin stays refused.
func isAdmin(c echo.Context) bool {
	v := state(c).viewer
	return v != nil && v.IsAdmin()
}

func (s *Server) adminPage(c echo.Context, newGroup, phrases components.Form) (forumview.AdminPage, error) {
	ctx := c.Request().Context()
	groups, err := s.Forum.Groups.AllGroups(ctx)
	if err != nil {
		return forumview.AdminPage{}, err
	}
	visitors, err := s.Settings.VisitorsReadPublicGroups(ctx)
	if err != nil {
		return forumview.AdminPage{}, err
	}
	if phrases.Values == nil {
		list, err := s.Settings.CrisisPhrases(ctx)
		if err != nil {
			return forumview.AdminPage{}, err
		}
		phrases.Values = map[string]string{"crisis_phrases": strings.Join(list, "\n")}
	}
	words, err := s.watchedWordRows(ctx)
	if err != nil {
		return forumview.AdminPage{}, err
	}
	a := forumview.AdminPage{NewGroup: newGroup, VisitorsRead: visitors, CrisisPhrases: phrases, WatchedWords: words}
	for _, g := range groups {
		a.Groups = append(a.Groups, forumview.AdminGroupRow{Slug: g.Slug, Name: g.Name, Private: g.Visibility == forum.Private, Archived: g.Archived})
	}
	return a, nil
}

func (s *Server) handleAdmin(c echo.Context) error {
	a, err := s.adminPage(c, components.Form{}, components.Form{})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, forumview.Admin(s.page(c, "Site admin"), a))
}

var groupFields = []string{"name", "slug", "description", "rules", "visibility", "allow_anonymous"}

func groupInput(v map[string]string) forum.GroupInput {
	return forum.GroupInput{Name: v["name"], Slug: strings.TrimSpace(v["slug"]), Description: v["description"], Rules: v["rules"],
		Visibility: v["visibility"], AllowAnonymous: v["allow_anonymous"] == "1"}
}

func (s *Server) handleAdminGroupCreate(c echo.Context) error {
	values := formValues(c, groupFields...)
	g, err := s.Forum.Groups.CreateGroup(c.Request().Context(), groupInput(values))
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		a, aerr := s.adminPage(c, components.Form{Values: values, Errors: e.Fields}, components.Form{})
		if aerr != nil {
			return aerr
		}
		return render(c, http.StatusUnprocessableEntity, forumview.Admin(s.page(c, "Site admin"), a))
	}
	if err != nil {
		return err
	}
	setNotice(c, "The group "+g.Name+" was created. Appoint its moderators here.")
	return redirect(c, paths.AdminGroup(g.Slug))
}

func (s *Server) adminGroupPage(c echo.Context, form, modForm components.Form) (forumview.AdminGroupPage, error) {
	ctx := c.Request().Context()
	slug := c.Param("slug")
	g, err := s.Forum.Groups.Group(ctx, slug)
	if err != nil {
		return forumview.AdminGroupPage{}, err
	}
	mods, err := s.Forum.Groups.Moderators(ctx, slug)
	if err != nil {
		return forumview.AdminGroupPage{}, err
	}
	if form.Values == nil {
		anon := ""
		if g.AllowAnonymous {
			anon = "1"
		}
		form.Values = map[string]string{"name": g.Name, "description": g.Description, "rules": g.Rules, "visibility": g.Visibility, "allow_anonymous": anon}
	}
	hold, err := s.Forum.Groups.HoldFirstPosts(ctx, slug)
	if err != nil {
		return forumview.AdminGroupPage{}, err
	}
	return forumview.AdminGroupPage{Slug: g.Slug, Name: g.Name, Archived: g.Archived, Form: form, Moderators: mods, ModForm: modForm,
		HoldFirstPosts: hold}, nil
}

func (s *Server) handleAdminGroupEdit(c echo.Context) error {
	v, err := s.adminGroupPage(c, components.Form{}, components.Form{})
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, forumview.AdminGroup(s.page(c, v.Name), v))
}

func (s *Server) handleAdminGroupUpdate(c echo.Context) error {
	values := formValues(c, groupFields...)
	err := s.Forum.Groups.UpdateGroup(c.Request().Context(), c.Param("slug"), groupInput(values))
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		v, verr := s.adminGroupPage(c, components.Form{Values: values, Errors: e.Fields}, components.Form{})
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, forumview.AdminGroup(s.page(c, v.Name), v))
	}
	if err != nil {
		return err
	}
	setNotice(c, "Saved.")
	return redirect(c, paths.AdminGroup(c.Param("slug")))
}

func (s *Server) handleAdminGroupArchive(c echo.Context) error {
	archive := c.FormValue("archived") == "1"
	if err := s.Forum.Groups.SetArchived(c.Request().Context(), c.Param("slug"), archive); err != nil {
		return err
	}
	setNotice(c, map[bool]string{true: "The group is archived.", false: "The group is restored."}[archive])
	return redirect(c, paths.AdminGroup(c.Param("slug")))
}

func (s *Server) handleAdminGroupModerator(c echo.Context) error {
	values := formValues(c, "username", "action")
	err := s.Forum.Groups.SetModerator(c.Request().Context(), c.Param("slug"), values["username"], values["action"] != "remove")
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		v, verr := s.adminGroupPage(c, components.Form{}, components.Form{Values: values, Errors: e.Fields})
		if verr != nil {
			return verr
		}
		return render(c, http.StatusUnprocessableEntity, forumview.AdminGroup(s.page(c, v.Name), v))
	}
	if err != nil {
		return err
	}
	setNotice(c, "Moderators updated.")
	return redirect(c, paths.AdminGroup(c.Param("slug")))
}

func (s *Server) handleAdminSettings(c echo.Context) error {
	ctx := c.Request().Context()
	values := formValues(c, "visitors_read", "crisis_phrases")
	err := s.Settings.SetCrisisPhrases(ctx, isAdmin(c), values["crisis_phrases"])
	if e, ok := apperr.As(err); ok && e.Fields != nil {
		a, aerr := s.adminPage(c, components.Form{}, components.Form{Values: values, Errors: e.Fields})
		if aerr != nil {
			return aerr
		}
		return render(c, http.StatusUnprocessableEntity, forumview.Admin(s.page(c, "Site admin"), a))
	}
	if err != nil {
		return err
	}
	if err := s.Settings.SetVisitorsReadPublicGroups(ctx, isAdmin(c), values["visitors_read"] == "1"); err != nil {
		return err
	}
	setNotice(c, "Settings saved.")
	return redirect(c, paths.Admin)
}
