// Vite bundles CSS imported for side effects; this tells the compiler such imports exist.
declare module '*.css';
