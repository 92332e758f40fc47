// Package e2e drives the real admin center in headless Chromium with playwright-go
// (build tag e2e). One browser serves the whole run; each test gets its own server
// on a free port with a fresh demo database, and its own browser context.
package e2e
