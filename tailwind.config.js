/** @type {import('tailwindcss').Config} */
module.exports = {
  content: ["./views/**/*.templ", "./views/**/*.go", "./static/js/app.js", "./static/js/powershell.js"],
  theme: {
    extend: {
      fontFamily: {
        sans: ['"Segoe UI"', '"Segoe UI Web (West European)"', "-apple-system", "BlinkMacSystemFont", "Roboto", '"Helvetica Neue"', "Arial", "sans-serif"],
      },
    },
  },
  plugins: [],
};
