/** Style sheets imported for their side effect (pcf-scripts' webpack injects them with style-loader). */
declare module "*.css";
