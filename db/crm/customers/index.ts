export { Contact, ContactSchema, Customer, CustomerSchema } from './customer.entity';
export { CustomerRepository, type CustomerFilters } from './customer.repository';
