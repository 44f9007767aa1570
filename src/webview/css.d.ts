/** Stylesheets imported for their side effect: esbuild's css loader emits them as dashboard.css. */
declare module '*.css';
